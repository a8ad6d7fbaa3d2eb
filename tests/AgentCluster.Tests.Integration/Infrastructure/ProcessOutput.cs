using System.Collections.Concurrent;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Every line a child process wrote, kept so a failing test can show it.</summary>
public sealed class ProcessOutput
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StreamWriter? _file;

    /// <summary>Also keeps the lines in TestResults/logs/NAME.log, for a CI run to be read afterwards.</summary>
    public ProcessOutput(string? name = null)
    {
        if (name is null)
            return;
        var dir = Path.Combine(RepoPaths.Root, "TestResults", "logs");
        Directory.CreateDirectory(dir);
        _file = new StreamWriter(Path.Combine(dir, name + ".log"), append: true) { AutoFlush = true };
    }

    public void Add(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        lock (_lines)
            _file?.WriteLine(line);
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public bool Contains(string text) => _lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public string Tail(int count = 40) => string.Join('\n', _lines.TakeLast(count));
}
