using System.Diagnostics;
using System.Threading.Channels;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Readme;

/// <summary>
/// One bash, as a reader's terminal: blocks run in it one after the other with <c>set -eo pipefail</c>, so
/// variables and background jobs carry over from block to block and a failing command ends the run.
/// </summary>
public sealed class ReadmeShell : IAsyncDisposable
{
    private const string Done = "::readme-block-done::";
    private static readonly TimeSpan BlockLimit = TimeSpan.FromMinutes(4);

    private readonly Process _bash;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly TempDir _blocks = new();
    private int _count;

    public ProcessOutput Transcript { get; } = new($"readme-{DateTime.UtcNow:HHmmss}");

    private ReadmeShell(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("bash", ["--noprofile", "--norc"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null)
                info.Environment.Remove(name);
            else
                info.Environment[name] = value;
        }
        _bash = new Process { StartInfo = info };
        _bash.OutputDataReceived += (_, e) => Receive(e.Data, last: true);
        // Stderr joins stdout once the shell runs (exec 2>&1), which ends this pipe early.
        _bash.ErrorDataReceived += (_, e) => Receive(e.Data, last: false);
    }

    /// <param name="environment">Variables to set, or (null) to remove, in the reader's terminal.</param>
    public static async Task<ReadmeShell> StartAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var shell = new ReadmeShell(workingDirectory, environment);
        shell._bash.Start();
        shell._bash.BeginOutputReadLine();
        shell._bash.BeginErrorReadLine();
        await shell._bash.StandardInput.WriteLineAsync("set -eo pipefail; exec 2>&1");
        return shell;
    }

    /// <summary>Runs the block; what it printed, or a failure with the transcript when bash stopped on an error.</summary>
    public async Task<string> RunAsync(string script)
    {
        var file = _blocks.Sub($"block{++_count}.sh");
        await File.WriteAllTextAsync(file, script);
        Transcript.Add($"$ # block {_count}\n{script}");
        await _bash.StandardInput.WriteLineAsync($"source '{file}'; echo {Done}");
        var output = new List<string>();
        using var limit = new CancellationTokenSource(BlockLimit);
        try
        {
            while (await _lines.Reader.ReadAsync(limit.Token) is var line && line != Done)
                output.Add(line);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException)
        {
            throw new InvalidOperationException(
                $"block {_count} {(_bash.HasExited ? $"ended the shell with exit code {_bash.ExitCode}" : "did not finish")}:\n{script}\n--- transcript ---\n{Transcript.Tail(80)}");
        }
        return string.Join('\n', output);
    }

    /// <summary>A shell variable's value, as a block left it.</summary>
    public async Task<string> Variable(string name) => (await RunAsync($"printf '%s\\n' \"${name}\"\n")).Trim();

    private void Receive(string? line, bool last)
    {
        if (line is null)
        {
            if (last)
                _lines.Writer.TryComplete();
            return;
        }
        if (line != Done)
            Transcript.Add(line);
        _lines.Writer.TryWrite(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_bash.HasExited)
        {
            // The reader's background jobs (a waiter left running by a failure) go with the shell.
            _bash.Kill(entireProcessTree: true);
            await _bash.WaitForExitAsync();
        }
        _bash.Dispose();
        _blocks.Dispose();
    }
}
