using AgentCluster.Grains;
using AgentCluster.Grains.Fleet;
using AgentCluster.Tests.Integration.Infrastructure;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Tests.Integration.Grains.Fleet;

/// <summary>
/// An in-process fleet silo whose hosts, one per engine of AGENTCLUSTER_TEST_DOCKER_HOSTS, keep a
/// warm pool of <see cref="Size"/> (<see cref="PoolSize"/> sandboxes, unless a subclass keeps
/// another image). The pool is keyed to a label only these hosts carry, and disposal removes every
/// container they made, pooled or claimed, and checks that none is left.
/// </summary>
public class WarmPoolSilo : IAsyncLifetime
{
    public const int PoolSize = 3;

    private readonly string _id = $"wp{Guid.NewGuid():N}"[..12];
    private int _sessions;
    private IHost? _silo;

    public WarmPoolSilo()
        : this(Required(FleetSilo.ImageVariable), PoolSize)
    {
    }

    protected WarmPoolSilo(string image, int size) => (Image, Size) = (image, size);

    public IReadOnlyList<string> Endpoints { get; } = Required(FleetSilo.HostsVariable).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string Image { get; }

    public int Size { get; }

    /// <summary>The label value of these hosts' pool: a host registered with <c>warmpool=</c> this keeps it.</summary>
    public string PoolLabel => _id;

    public IReadOnlyList<DockerClient> Docker { get; private set; } = [];

    public IGrainFactory Grains => _silo!.Services.GetRequiredService<IGrainFactory>();

    public string HostName(int engine) => $"{_id}-h{engine}";

    public IDockerHostGrain Host(int engine) => Grains.GetGrain<IDockerHostGrain>(HostName(engine));

    public virtual SandboxSpec Spec(TimeSpan ttl) =>
        SandboxSpec.Create($"ses_{_id}_{Interlocked.Increment(ref _sessions)}", "it-tenant", Image, DateTimeOffset.UtcNow + ttl);

    public async Task InitializeAsync()
    {
        if (Endpoints.Count == 0)
            throw new InvalidOperationException($"{FleetSilo.HostsVariable} names no Docker engine");
        Docker = [.. Endpoints.Select(e => new DockerClientConfiguration(new Uri(e)).CreateClient())];

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:ReconcileInterval"] = "00:00:00.500",
            ["AgentCluster:Fleet:ClaimGrace"] = "00:00:01",
            ["AgentCluster:Fleet:WarmPool:RefillInterval"] = "00:00:00.200",
            ["AgentCluster:Fleet:WarmPool:Pools:0:Image"] = Image,
            ["AgentCluster:Fleet:WarmPool:Pools:0:Size"] = Size.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AgentCluster:Fleet:WarmPool:Pools:0:MaxSessionTtl"] = "00:10:00",
            ["AgentCluster:Fleet:WarmPool:Pools:0:HostLabels:warmpool"] = _id,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Every session of these tests is live: what is tested here is the pool, not the claims.
        builder.Services.AddSingleton<ISandboxClaims>(new DeadlineClaims());
        builder.Services.AddAgentClusterFleet(builder.Configuration);
        builder.UseOrleans(s => s
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next())
            .AddMemoryGrainStorage(StorageNames.Default)
            .UseInMemoryReminderService());
        _silo = builder.Build();
        await _silo.StartAsync();

        for (var i = 0; i < Endpoints.Count; i++)
        {
            await Host(i).Register(new DockerHostRegistration(Endpoints[i], null, 50, FleetSilo.Labels(("warmpool", _id))));
            await Eventually.Healthy(Host(i));
        }
    }

    /// <summary>Pool containers these hosts made, idle or claimed, and cold ones of these sessions.</summary>
    public async Task<IList<ContainerListResponse>> Ours(int engine)
    {
        var all = await Docker[engine].Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [SandboxLabels.Session] = true } },
        });
        return [.. all.Where(c => (c.Labels.TryGetValue(SandboxLabels.Pool, out var pool) ? pool : "").StartsWith(_id, StringComparison.Ordinal)
            || c.Labels[SandboxLabels.Session].StartsWith($"ses_{_id}", StringComparison.Ordinal))];
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_silo is not null)
            {
                await _silo.StopAsync();
                _silo.Dispose();
            }
        }
        finally
        {
            var left = 0;
            for (var i = 0; i < Docker.Count; i++)
            {
                foreach (var c in await Ours(i))
                    await Docker[i].Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
                left += (await Ours(i)).Count;
                Docker[i].Dispose();
            }
            if (left > 0)
                throw new InvalidOperationException($"{left} warm-pool container(s) survived their removal");
        }
    }

    protected static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{variable} is not set: the warm-pool tests need real Docker engines; ./build.sh test sets it");
}
