using System.Text.Json;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Build;

/// <summary>
/// <c>./build.sh run</c> from two checkouts at once, the second on other ports given by switches: each runs
/// its own engine, bridge and pool, both serve, and stopping one leaves the other's engine, bridge and
/// sessions alone. Needs root and the real engine binaries, as <c>./build.sh test</c> has.
/// </summary>
public sealed class RunSideBySideTests
{
    [Fact]
    public async Task Two_checkouts_run_side_by_side_and_stopping_one_leaves_the_other_serving()
    {
        Assert.Equal("0", (await EngineScripts.Run("id -u")).Trim());
        using var dir = new TempDir();
        await using var first = RunCheckout.Create(dir.Sub("first"));
        await using var second = RunCheckout.Create(dir.Sub("second"));
        first.Start();
        second.Start();
        await first.WaitRunningAsync();
        await second.WaitRunningAsync();

        var firstEngine = await Engine(first);
        var secondEngine = await Engine(second);
        Assert.NotEqual(firstEngine.Name, secondEngine.Name);
        Assert.NotEqual(firstEngine.Bridge, secondEngine.Bridge);
        Assert.NotEqual(firstEngine.Pool, secondEngine.Pool);
        await SessionRuns(first);
        var survivor = await SessionRuns(second);

        Assert.Equal(0, await first.StopAsync());

        Assert.Contains("stopping dockerd", first.Output.Tail(80), StringComparison.Ordinal);
        Assert.False(await BridgeExists(firstEngine.Bridge), $"{firstEngine.Bridge} should have gone with the first run");
        Assert.True(await BridgeExists(secondEngine.Bridge), $"{secondEngine.Bridge} went with the first run");
        Assert.False(second.HasExited, second.Output.Tail(40));
        var hosts = await second.Agentctl("--json", "hosts", "list");
        Assert.True(hosts.ExitCode == 0, hosts.Stderr);
        Assert.Equal("Healthy", JsonDocument.Parse(hosts.Stdout).RootElement.GetProperty("hosts")[0].GetProperty("health").GetString());
        var earlier = await second.Agentctl("--json", "session", "get", survivor);
        Assert.Equal("Ready", JsonDocument.Parse(earlier.Stdout).RootElement.GetProperty("state").GetString());
        await SessionRuns(second);

        Assert.Equal(0, await second.StopAsync());
    }

    /// <summary>A Ready session of the run's tenant default, on its own engine; its id.</summary>
    private static async Task<string> SessionRuns(RunCheckout run)
    {
        var created = await run.Agentctl("--json", "session", "create", "--tenant", "default", "--image", DockerHosts.Image, "--ttl", "5m");
        Assert.True(created.ExitCode == 0, created.Stderr + "\n" + run.Output.Tail(40));
        var session = JsonDocument.Parse(created.Stdout).RootElement;
        Assert.Equal("Ready", session.GetProperty("state").GetString());
        return session.GetProperty("id").GetString()!;
    }

    private static async Task<(string Name, string Bridge, string Pool)> Engine(RunCheckout run)
    {
        var state = await File.ReadAllLinesAsync(Path.Combine(run.DockerRoot, "dockerd.state"));
        string Value(string key) => state.Single(l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        return (Value("NAME"), Value("BRIDGE"), Value("POOL"));
    }

    private static async Task<bool> BridgeExists(string bridge) =>
        (await EngineScripts.Try("ip link show \"$1\" >/dev/null 2>&1", bridge)).ExitCode == 0;
}
