using System.Diagnostics;

namespace AgentCluster.Tests.Integration.Infrastructure;

/// <summary>
/// A Docker engine of one test's own, through deploy/dev/dockerd.sh (so as root), for a test that
/// kills an engine, which the shared test engines must never see. It runs without firewall rules:
/// an engine that starts with them flushes the isolation rules of the networks the other engines
/// made, and those networks carry the other tests' sandboxes, before this test and after it.
/// </summary>
public sealed class OwnDockerd(string root) : IAsyncDisposable
{
    private readonly string _name = $"ac{Guid.NewGuid():N}"[..10];
    private string? _pool;

    public string Root { get; } = root;

    public string Endpoint { get; private set; } = "";

    /// <summary>The links of this machine with an address in the engine's pool (none once it is disposed).</summary>
    public async Task<string> LinksInPool() =>
        _pool is null ? "" : await EngineScripts.Run("ip -4 -o addr show | awk -v p=\"$1\" 'index($4, p) == 1 { print $2, $4 }'", _pool[..(_pool.IndexOf(".0.0/", StringComparison.Ordinal) + 1)]);

    /// <summary>Starts it, or starts it again on the same root and pool after a kill.</summary>
    public async Task StartAsync()
    {
        _pool ??= (await EngineScripts.Run("dockerd_free_pool 211 250")).Trim();
        await EngineScripts.Run("dockerd_start \"$1\" \"$2\" \"$3\" --iptables=false --ip-masq=false >&2", _name, Root, _pool);
        Endpoint = (await EngineScripts.Run("dockerd_endpoint \"$1\"", Root)).Trim();
    }

    /// <summary>Copies an image from another engine, so no registry and no build is needed.</summary>
    public Task CopyImageFrom(string endpoint, string image) =>
        EngineScripts.Run("docker -H \"$1\" save \"$3\" | docker -H \"$2\" load >&2", endpoint, Endpoint, image);

    /// <summary>SIGKILL to dockerd alone, as a crash would: its containerd and the containers live on, unreachable.</summary>
    public void Kill()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(Root, "dockerd.pid")).Trim());
        using var dockerd = Process.GetProcessById(pid);
        dockerd.Kill();
        dockerd.WaitForExit(10_000);
    }

    /// <summary>Stops it and what it left running (containers, mounts, bridge), then deletes its root.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(Root))
            await EngineScripts.Run("dockerd_stop \"$1\" >&2; rm -rf \"$1\"", Root);
    }
}
