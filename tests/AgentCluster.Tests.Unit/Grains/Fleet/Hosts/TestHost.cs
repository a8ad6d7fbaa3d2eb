using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Fleet.Hosts;
using AgentCluster.Tests.Doubles.Fleet;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentCluster.Tests.Unit.Grains.Fleet.Hosts;

/// <summary>A host's plain parts over an in-memory engine, as its grain holds them, on a clock the test moves.</summary>
internal sealed class TestHost
{
    public const string Name = "h1";

    public static readonly WarmPoolEntry Entry = new() { Image = "agentcluster/sandbox:local", Size = 2 };

    public TestHost()
    {
        Options = new FleetOptions { ProxyPort = 8443, WarmPool = new WarmPoolOptions { CreatesAtOnce = 2, Pools = [Entry] } };
        Pool = new WarmPool(Options.WarmPool, Clock);
        Health = new HealthWatch(Options, Clock);
        Kills = new SandboxKills(RetryAfter, Clock, NullLogger.Instance);
    }

    public static TimeSpan RetryAfter { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Now (to the millisecond, as deadline labels are), since the engine dates what it creates by the real clock.</summary>
    public HandClock Clock { get; } = new(DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));

    public FleetOptions Options { get; }

    public FakeEngine Engine { get; } = new();

    public DockerHostState State { get; } = new() { Registered = true, Endpoint = "unix:///fake.sock", Capacity = 5, Health = HostHealth.Healthy };

    public ContainerLedger Ledger { get; } = new();

    public WarmPool Pool { get; }

    public HealthWatch Health { get; }

    public SandboxKills Kills { get; }

    public RecordingDesktopServer Desktops { get; } = new();

    public HostContext Context => new(Name, Engine, State, Ledger, Pool, Health);

    public SandboxSpec Spec(string session, TimeSpan? ttl = null) =>
        SandboxSpec.Create(session, "acme", Entry.Image, Clock.GetUtcNow() + (ttl ?? TimeSpan.FromMinutes(10)));

    /// <summary>A container on the engine with a session label, counted by the host.</summary>
    public SandboxContainer Tracked(string session, DateTimeOffset? deadline = null, DateTimeOffset? created = null)
    {
        var id = Engine.Add(deadline ?? Clock.GetUtcNow().AddMinutes(10), session, created);
        var container = Engine.Containers.Single(c => c.Id == id);
        Ledger.Track(container);
        return container;
    }
}
