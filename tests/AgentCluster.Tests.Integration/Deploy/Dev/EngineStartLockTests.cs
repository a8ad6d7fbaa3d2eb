using AgentCluster.Tests.Integration.Infrastructure;

namespace AgentCluster.Tests.Integration.Deploy.Dev;

/// <summary>
/// Engines share the machine's DOCKER-* chains and rewrite them while they start; two starting
/// together (two checkouts' <c>./build.sh run</c>) lost iptables' check-then-delete race in CI. So one
/// engine starts at a time, under a machine-wide lock, and a running engine must not keep holding it.
/// The engine runs without firewall rules, as <see cref="OwnDockerd"/> explains.
/// </summary>
public sealed class EngineStartLockTests
{
    [Fact]
    public async Task An_engine_waits_for_another_start_to_finish_and_holds_no_lock_once_up()
    {
        using var dir = new TempDir();
        var name = $"ac{Guid.NewGuid():N}"[..10];
        const string Script = """
            root=$1 name=$2
            trap 'dockerd_stop "$root" >&2 || true' EXIT
            mkdir -p "$DOCKERD_RUN_DIR"
            # Another engine's start, as far as the lock can tell: it holds the lock for 3 s.
            ( flock 8; echo "other start: holding" >&2; sleep 3; echo "other start: releasing" >&2 ) 8>"$DOCKERD_RUN_DIR/.start.lock" &
            holder=$!
            sleep 0.5
            dockerd_start "$name" "$root" "$(dockerd_free_pool 211 250)" --iptables=false --ip-masq=false
            wait "$holder"
            if flock -n "$DOCKERD_RUN_DIR/.start.lock" true; then echo "lock free"; else echo "lock held"; fi
            """;

        var (code, stdout, stderr) = await EngineScripts.Try(Script, dir.Sub("engine"), name);

        Assert.True(code == 0, stderr);
        Assert.Contains("waiting for another engine on this machine to finish starting", stderr, StringComparison.Ordinal);
        var released = stderr.IndexOf("other start: releasing", StringComparison.Ordinal);
        var up = stderr.IndexOf($"dockerd {name} is up", StringComparison.Ordinal);
        Assert.True(released >= 0 && up > released, $"the engine came up before the other start ended:\n{stderr}");
        Assert.Equal("lock free", stdout.Trim());
        Assert.Contains("stopping dockerd", stderr, StringComparison.Ordinal);
    }
}
