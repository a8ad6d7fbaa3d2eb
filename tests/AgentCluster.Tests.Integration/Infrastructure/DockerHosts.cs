using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>The test fleet's engines (from <c>AGENTCLUSTER_TEST_DOCKER_HOSTS</c>), seen through the docker CLI.</summary>
public static class DockerHosts
{
    public const string EnvironmentVariable = "AGENTCLUSTER_TEST_DOCKER_HOSTS";

    public static IReadOnlyList<string> Endpoints =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set: these tests need real Docker engines (./build.sh test starts two)");

    public static string Image => Environment.GetEnvironmentVariable("AGENTCLUSTER_TEST_IMAGE") is { Length: > 0 } image
        ? image : "agentcluster/sandbox:local";

    /// <summary>Switches that register every test engine as a host (h0, h1, …) and reconcile every second.</summary>
    public static IEnumerable<string> FleetArgs(int capacity = 20) =>
        Endpoints.SelectMany((e, i) => new[]
        {
            $"--AgentCluster:Fleet:Hosts:h{i}:Endpoint={e}",
            $"--AgentCluster:Fleet:Hosts:h{i}:Capacity={capacity}",
        }).Append("--AgentCluster:Fleet:ReconcileInterval=00:00:01");

    /// <summary>A silo's switches for a warm pool of <paramref name="size"/> containers of <paramref name="image"/> on every host, refilled fast.</summary>
    public static IEnumerable<string> WarmPoolArgs(string image, int size) =>
    [
        $"--AgentCluster:Fleet:WarmPool:Pools:0:Image={image}",
        $"--AgentCluster:Fleet:WarmPool:Pools:0:Size={size}",
        "--AgentCluster:Fleet:WarmPool:Pools:0:MaxSessionTtl=00:10:00",
        "--AgentCluster:Fleet:WarmPool:RefillInterval=00:00:00.200",
    ];

    /// <summary>Ids of containers (running or not) with a label filter such as <c>agentcluster.session=ses_…</c>.</summary>
    public static async Task<IReadOnlyList<string>> Containers(string endpoint, string labelFilter)
    {
        var (code, output) = await Docker(endpoint, "ps", "-aq", "--filter", $"label={labelFilter}");
        Assert.True(code == 0, $"docker ps on {endpoint} failed: {output}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static async Task<int> CountEverywhere(string labelFilter)
    {
        var total = 0;
        foreach (var endpoint in Endpoints)
            total += (await Containers(endpoint, labelFilter)).Count;
        return total;
    }

    public static async Task<(int ExitCode, string Output)> Docker(string endpoint, params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-H");
        start.ArgumentList.Add(endpoint);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    /// <summary>Kills whatever a failed test left behind, so no sandbox outlives the run.</summary>
    public static async Task RemoveAll(string labelFilter)
    {
        foreach (var endpoint in Endpoints)
        {
            var ids = await Containers(endpoint, labelFilter);
            if (ids.Count > 0)
                await Docker(endpoint, ["rm", "-f", .. ids]);
        }
    }
}
