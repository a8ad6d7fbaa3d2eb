using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Infrastructure;

public sealed record AgentctlResult(int ExitCode, string Stdout, string Stderr);

/// <summary>Runs the built agentctl as a user would, with a key given through the environment.</summary>
public static class Agentctl
{
    public static Task<AgentctlResult> RunAsync(string endpoint, string? apiKey, params string[] args) =>
        RunInAsync(Path.GetTempPath(), endpoint, apiKey, args);

    /// <summary>From <paramref name="workingDirectory"/>: without a key given, agentctl reads its <c>data/admin.key</c>.</summary>
    public static async Task<AgentctlResult> RunInAsync(string workingDirectory, string endpoint, string? apiKey, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(RepoPaths.AgentctlDll);
        info.ArgumentList.Add("--endpoint");
        info.ArgumentList.Add(endpoint);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        info.Environment.Remove("AGENTCLUSTER_API_KEY");
        if (apiKey is not null)
            info.Environment["AGENTCLUSTER_API_KEY"] = apiKey;

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return new AgentctlResult(process.ExitCode, await stdout, await stderr);
    }
}
