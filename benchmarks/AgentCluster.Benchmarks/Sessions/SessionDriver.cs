using System.Collections.Immutable;
using System.Diagnostics;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Benchmarks.Sessions;

/// <summary>Sessions as the gRPC API makes them (the same grain calls, minus the network), timed from the call to Ready.</summary>
internal sealed class SessionDriver(IGrainFactory grains, string image)
{
    public const string Tenant = "bench";

    public IDockerHostGrain Cold => grains.GetGrain<IDockerHostGrain>(BenchSilo.Cold);

    public IDockerHostGrain Warm => grains.GetGrain<IDockerHostGrain>(BenchSilo.Warm);

    public async Task SetUpAsync(int poolSize)
    {
        await grains.GetGrain<ITenantGrain>(Tenant).Create(new TenantQuotas(10_000, TimeSpan.FromHours(1), ["*"]));
        await Until(async () => (await Cold.GetStatus())?.Health == HostHealth.Healthy && (await Warm.GetStatus())?.Health == HostHealth.Healthy,
            "both hosts to be Healthy", TimeSpan.FromSeconds(60));
        await PoolFull(poolSize);
    }

    public Task PoolFull(int poolSize) =>
        Until(async () => (await Warm.GetWarmPool()).Count >= poolSize, "the warm pool to fill", TimeSpan.FromSeconds(60));

    /// <summary>A session on the cold or the warm host, and how long the call took to return it Ready.</summary>
    public async Task<(SessionInfo Session, TimeSpan Elapsed)> CreateAsync(bool warm, TimeSpan ttl)
    {
        var request = new SessionRequest(Tenant, image, ttl, SandboxSpec.DefaultMemoryBytes, SandboxSpec.DefaultPidsLimit, [],
            ImmutableDictionary<string, string>.Empty.Add(BenchSilo.PoolLabel, warm ? "on" : "off"), null, "bench",
            [], SessionRequest.DefaultMaxGrantTtl);
        var clock = Stopwatch.StartNew();
        var result = await grains.GetGrain<ISessionGrain>(SessionIds.New()).Create(request);
        var elapsed = clock.Elapsed;
        if (result.Status != SessionCreateStatus.Ready)
            throw new InvalidOperationException($"session create: {result.Status} {result.Error}");
        return (result.Session!, elapsed);
    }

    public Task KillAsync(SessionInfo session) => grains.GetGrain<ISessionGrain>(session.Id).Kill("bench", "sample taken");

    /// <summary>The fleet's part alone: a pooled claim on the warm host, without a session.</summary>
    public async Task<(LaunchResult Launch, TimeSpan Elapsed)> ClaimAsync()
    {
        var spec = SandboxSpec.Create(SessionIds.New(), Tenant, image, DateTimeOffset.UtcNow.AddMinutes(5))
            with { HostLabels = ImmutableDictionary<string, string>.Empty.Add(BenchSilo.PoolLabel, "on") };
        var clock = Stopwatch.StartNew();
        var launch = await Warm.Launch(spec);
        return (launch, clock.Elapsed);
    }

    public static async Task Until(Func<Task<bool>> condition, string what, TimeSpan patience)
    {
        var until = DateTime.UtcNow + patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
