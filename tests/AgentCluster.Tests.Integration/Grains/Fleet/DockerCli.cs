using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// `docker exec` through the CLI: Docker.DotNet's exec streams are the part of it with known bugs.
/// </summary>
internal static class DockerCli
{
    public static async Task<(int ExitCode, string Output)> Exec(string endpoint, string container, string script, bool detach = false)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] exec = detach ? ["exec", "-d"] : ["exec"];
        foreach (var arg in (string[])["-H", endpoint, .. exec, container, "sh", "-c", script])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }
}
