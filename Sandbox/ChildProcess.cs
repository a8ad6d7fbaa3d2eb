using System.Diagnostics;

namespace AgentCluster.ComputerServer;

/// <summary>
/// Starts a helper (Xvfb, Chromium) without the server's standard streams: stdin and stdout
/// carry the protocol, so a child gets an empty stdin, and its stdout goes to stderr.
/// </summary>
internal static class ChildProcess
{
    public static Process Start(string path, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(path)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {path}");
        process.StandardInput.Close();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                Console.Error.WriteLine(e.Data);
        };
        process.BeginOutputReadLine();
        return process;
    }
}
