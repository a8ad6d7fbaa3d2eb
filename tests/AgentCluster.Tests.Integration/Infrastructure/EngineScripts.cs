using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>Runs a piece of bash with deploy/dev/dockerd.sh sourced, as the build script does.</summary>
public static class EngineScripts
{
    /// <summary>Its standard output; a non-zero exit throws with both outputs.</summary>
    public static async Task<string> Run(string script, params string[] args)
    {
        var (code, stdout, stderr) = await Try(script, args);
        if (code != 0)
            throw new InvalidOperationException($"`{script}` failed ({code}):\n{stdout}{stderr}");
        return stdout;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> Try(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var arg in (string[])["-c", $"set -euo pipefail; source deploy/dev/lib.sh; source deploy/dev/dockerd.sh; {script}", "bash", .. args])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{script}` took longer than 120 s:\n{await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
