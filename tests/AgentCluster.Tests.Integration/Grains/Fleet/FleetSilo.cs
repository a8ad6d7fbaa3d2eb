using System.Collections.Concurrent;
using System.Collections.Immutable;
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
/// An in-process silo with the fleet, over the real engines named by AGENTCLUSTER_TEST_DOCKER_HOSTS,
/// each registered as a host. Every session id it hands out starts with one prefix, and disposal
/// force-removes every container carrying it, so a failed test leaves nothing behind.
/// </summary>
public sealed class FleetSilo : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    public FleetSilo()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>With settings of a test's own on top of the fixture's (a collection fixture has one public constructor).</summary>
    internal FleetSilo(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public const string HostsVariable = "AGENTCLUSTER_TEST_DOCKER_HOSTS";
    public const string ImageVariable = "AGENTCLUSTER_TEST_IMAGE";
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMilliseconds(500);

    private readonly string _prefix = $"ses_it{Guid.NewGuid():N}"[..14];
    private int _sessions;
    private IHost? _silo;

    public IReadOnlyList<string> Endpoints { get; } = Required(HostsVariable).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public string Image { get; } = Required(ImageVariable);

    /// <summary>One observer client per engine, apart from the silo's own.</summary>
    public IReadOnlyList<DockerClient> Docker { get; private set; } = [];

    /// <summary>Sessions the claims say nobody owns any more.</summary>
    public ConcurrentDictionary<string, bool> Disowned { get; } = new();

    public IGrainFactory Grains => _silo!.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _silo!.Services;

    /// <summary>The hosts registered at start, one per engine, in the variable's order.</summary>
    public string HostName(int engine) => $"{_prefix}-h{engine}";

    public string NewSessionId() => $"{_prefix}_{Interlocked.Increment(ref _sessions)}";

    public SandboxSpec Spec(TimeSpan ttl) => SandboxSpec.Create(NewSessionId(), "it-tenant", Image, DateTimeOffset.UtcNow + ttl);

    public async Task InitializeAsync()
    {
        if (Endpoints.Count < 2)
            throw new InvalidOperationException($"{HostsVariable} must name two Docker engines (unix:///…/docker.sock,unix:///…/docker.sock); it is '{Environment.GetEnvironmentVariable(HostsVariable)}'");
        Docker = [.. Endpoints.Select(e => new DockerClientConfiguration(new Uri(e)).CreateClient())];

        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentCluster:Fleet:ReconcileInterval"] = ReconcileInterval.ToString(),
            ["AgentCluster:Fleet:ClaimGrace"] = "00:00:01",
            ["AgentCluster:Fleet:UnhealthyAfter"] = "3",
        });
        builder.Configuration.AddInMemoryCollection(_settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<ISandboxClaims>(new TestClaims(Disowned));
        builder.Services.AddAgentClusterFleet(builder.Configuration);
        builder.UseOrleans(s => s
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next())
            .AddMemoryGrainStorage(StorageNames.Default)
            .UseInMemoryReminderService());
        _silo = builder.Build();
        await _silo.StartAsync();

        for (var i = 0; i < Endpoints.Count; i++)
            await Grains.GetGrain<IDockerHostGrain>(HostName(i)).Register(Registration(i, capacity: 50));
        for (var i = 0; i < Endpoints.Count; i++)
            await Eventually.Healthy(Grains.GetGrain<IDockerHostGrain>(HostName(i)));
    }

    public DockerHostRegistration Registration(int engine, int capacity, params (string Key, string Value)[] labels) =>
        new(Endpoints[engine], null, capacity, Labels(labels));

    public static ImmutableDictionary<string, string> Labels(params (string Key, string Value)[] labels) =>
        labels.ToImmutableDictionary(l => l.Key, l => l.Value);

    /// <summary>The containers of this fixture's sessions on an engine, in any state.</summary>
    public async Task<IList<ContainerListResponse>> OurContainers(int engine, string? sessionId = null)
    {
        var all = await Docker[engine].Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [SandboxLabels.Session] = true } },
        });
        return [.. all.Where(c => c.Labels[SandboxLabels.Session] is var s && (sessionId is null ? s.StartsWith(_prefix, StringComparison.Ordinal) : s == sessionId))];
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
            for (var i = 0; i < Docker.Count; i++)
            {
                foreach (var c in await OurContainers(i))
                    await Docker[i].Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
                Docker[i].Dispose();
            }
        }
    }

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set: the fleet integration tests need real Docker engines ({HostsVariable}=unix:///…/d1/docker.sock,unix:///…/d2/docker.sock, " +
                $"{ImageVariable}=agentcluster/sandbox:local built on both); ./build.sh test sets both");

    private sealed class TestClaims(ConcurrentDictionary<string, bool> disowned) : ISandboxClaims
    {
        public Task<bool> IsLive(string sessionId, string containerId) => Task.FromResult(!disowned.ContainsKey(sessionId));
    }
}

[CollectionDefinition(Name)]
public sealed class FleetCollection : ICollectionFixture<FleetSilo>
{
    public const string Name = "fleet";
}
