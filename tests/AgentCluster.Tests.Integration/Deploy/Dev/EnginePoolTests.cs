using System.Diagnostics;
using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Deploy.Dev;

/// <summary>
/// deploy/dev/dockerd.sh picks each engine a free 10.N.0.0/16 pool. When none is free, it takes
/// back the bridges that engines killed before they could stop left behind, and nothing else.
/// Only 10.251 and 10.252 are used here: the test engines take 211-250 and the benchmarks 100-210.
/// </summary>
public sealed class EnginePoolTests
{
    private const string Pool = "10.251.0.0/16";
    private const string FreePool = "dockerd_free_pool 251 251";

    [Fact]
    public async Task A_bridge_left_by_a_dead_engine_is_taken_back_when_no_pool_is_free()
    {
        await using var bridge = await StaleBridge.Create();

        Assert.Equal(Pool, (await EngineScripts.Run(FreePool)).Trim());
        Assert.False(await bridge.Exists(), "the leftover bridge should be gone");
    }

    [Fact]
    public async Task A_bridge_something_is_plugged_into_is_left_alone()
    {
        await using var bridge = await StaleBridge.Create();
        await bridge.Plug();

        var (code, _, stderr) = await EngineScripts.Try(FreePool);

        Assert.NotEqual(0, code);
        Assert.Contains("no free address pool", stderr, StringComparison.Ordinal);
        Assert.True(await bridge.Exists());
    }

    [Fact]
    public async Task A_bridge_in_the_pool_of_a_running_engine_is_left_alone()
    {
        await using var bridge = await StaleBridge.Create();
        using var dir = new TempDir();
        // Named dockerd and started with the pool, as far as the process table can tell.
        var fake = Path.Combine(dir.Path, "dockerd");
        await File.WriteAllTextAsync(fake, "#!/bin/bash\nsleep 120\n");
        await EngineScripts.Run("chmod 700 \"$1\"", fake);
        using var engine = Process.Start(fake, ["--default-address-pool", $"base={Pool},size=24"]);
        try
        {
            var (code, _, stderr) = await EngineScripts.Try(FreePool);

            Assert.NotEqual(0, code);
            Assert.Contains("no free address pool", stderr, StringComparison.Ordinal);
            Assert.True(await bridge.Exists());
        }
        finally
        {
            engine.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task A_pool_handed_out_is_not_handed_out_again_while_the_script_that_took_it_runs()
    {
        // An engine takes its pool's address only once it is up: before that, the pool is held by
        // the reservation alone. The second pick in the same run must not get the same pool.
        var (code, stdout, stderr) = await EngineScripts.Try($"a=$({FreePool}); echo \"$a\"; {FreePool}");

        Assert.Equal(Pool, stdout.Trim());
        Assert.NotEqual(0, code);
        Assert.Contains("no free address pool", stderr, StringComparison.Ordinal);
        // The script that held it has exited: its reservation no longer holds the pool.
        Assert.Equal(Pool, (await EngineScripts.Run(FreePool)).Trim());
    }

    [Fact]
    public async Task A_run_pool_is_reserved_too_so_two_checkouts_started_together_never_share_one()
    {
        // ./build.sh run's pick, made while another run's engine is still starting: that engine
        // holds its pool by the reservation alone, even when it is this checkout's pool of last time.
        var (code, stdout, stderr) = await EngineScripts.Try(
            $"a=$({FreePool}); echo \"$a\"; dockerd_reserve_pool 251 251 {Pool}");

        Assert.Equal(Pool, stdout.Trim());
        Assert.NotEqual(0, code);
        Assert.Contains("no free address pool", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_takes_its_pool_of_last_time_while_it_is_free()
    {
        for (var i = 0; i < 6; i++)
        {
            Assert.Equal("10.252.0.0/16", (await EngineScripts.Run("dockerd_reserve_pool 251 252 10.252.0.0/16")).Trim());
        }
    }

    [Fact]
    public async Task A_run_takes_back_no_bridge_even_when_no_pool_is_free()
    {
        await using var bridge = await StaleBridge.Create();

        var (code, _, stderr) = await EngineScripts.Try("dockerd_reserve_pool 251 251");

        Assert.NotEqual(0, code);
        Assert.Contains("no free address pool", stderr, StringComparison.Ordinal);
        Assert.True(await bridge.Exists(), "a run's pick must leave other checkouts' bridges alone");
    }

    /// <summary>A bridge with an address in 10.251 and, once plugged, one end of a veth pair in it, as a container's would be.</summary>
    private sealed class StaleBridge : IAsyncDisposable
    {
        private readonly string _name = $"acbt{Guid.NewGuid():N}"[..12];
        private string Port => "d" + _name[1..];

        public static async Task<StaleBridge> Create()
        {
            var bridge = new StaleBridge();
            await EngineScripts.Run("ip link add \"$1\" type bridge && ip addr add 10.251.1.1/24 dev \"$1\"", bridge._name);
            return bridge;
        }

        public Task Plug() => EngineScripts.Run("ip link add \"$1\" type veth peer name \"$1p\" && ip link set \"$1\" master \"$2\"", Port, _name);

        public async Task<bool> Exists() =>
            (await EngineScripts.Try("ip link show \"$1\" >/dev/null 2>&1", _name)).ExitCode == 0;

        public async ValueTask DisposeAsync() =>
            await EngineScripts.Run("ip link del \"$1\" 2>/dev/null || true; ip link del \"$2\" 2>/dev/null || true", Port, _name);
    }
}
