using System.Collections.Immutable;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// One Docker engine: timers, the reminder, persistence and the calls to the engine and to other
/// grains, around three plain classes that keep what it knows (<see cref="ContainerLedger"/>,
/// <see cref="WarmPool"/>, <see cref="HealthWatch"/>). Reentrant, so that a kill never waits behind
/// a slow create: every field below, and the state of those classes, is only touched between
/// awaits, and the one persisted state is written through <see cref="Persist"/>, which queues
/// writes instead of letting them race on the ETag.
/// </summary>
[Reentrant]
public sealed partial class DockerHostGrain(
    [PersistentState("dockerhost", StorageNames.Default)] IPersistentState<DockerHostState> state,
    IDockerEngines engines,
    ISandboxClaims claims,
    SandboxContainerSpec containerSpec,
    IOptions<FleetOptions> fleetOptions,
    TimeProvider clock,
    ILogger<DockerHostGrain> logger) : Grain, IDockerHostGrain, IRemindable
{
    private const string ReminderName = "health";

    private readonly FleetOptions _options = fleetOptions.Value;
    private readonly ContainerLedger _ledger = new();
    private readonly WarmPool _pool = new(fleetOptions.Value.WarmPool, clock);
    private readonly HealthWatch _health = new(fleetOptions.Value, clock);
    private IDockerEngine? _engine;
    private QueuedWrites? _writes;

    private string Name => this.GetPrimaryKeyString();

    private IDockerEngine Engine => _engine ??= engines.Get(DockerEndpoint.Parse(state.State.Endpoint, state.State.TlsDir));

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Registered)
        {
            await StartChecks();
            StartWarmPool();
        }
    }

    public async Task<DockerHostStatus> Register(DockerHostRegistration registration)
    {
        Validate(registration, out var tlsDir);
        var s = state.State;
        var moved = !s.Registered || s.Endpoint != registration.Endpoint || s.TlsDir != tlsDir;
        var changed = moved || s.Capacity != registration.Capacity
            || !s.Labels.OrderBy(l => l.Key).SequenceEqual(registration.Labels.OrderBy(l => l.Key));
        if (changed)
        {
            if (moved)
                Moved();
            s.Registered = true;
            s.Endpoint = registration.Endpoint;
            s.TlsDir = tlsDir;
            s.Capacity = registration.Capacity;
            s.Labels = new Dictionary<string, string>(registration.Labels, StringComparer.Ordinal);
            await Persist();
            logger.LogInformation("Docker host {Host} registered: {Endpoint}, capacity {Capacity}", Name, s.Endpoint, s.Capacity);
        }

        await GrainFactory.GetGrain<IFleetGrain>(IFleetGrain.Key).AddHost(Name);
        await StartChecks();
        StartWarmPool();
        return Status();
    }

    public Task<DockerHostStatus> Drain() => SetDraining(true);

    public Task<DockerHostStatus> Resume() => SetDraining(false);

    public Task<DockerHostStatus?> GetStatus() => Task.FromResult(state.State.Registered ? Status() : null);

    public Task ReceiveReminder(string reminderName, TickStatus status) => Tick();

    private async Task<DockerHostStatus> SetDraining(bool draining)
    {
        if (!state.State.Registered)
            throw new InvalidOperationException($"Docker host {Name} is not registered");
        if (state.State.Draining != draining)
        {
            state.State.Draining = draining;
            await Persist();
            logger.LogInformation("Docker host {Host} {Action}", Name, draining ? "drains" : "takes sessions again");
        }
        return Status();
    }

    private DockerHostStatus Status() => new(
        Name, state.State.Endpoint, state.State.Capacity, _ledger.Running,
        state.State.Labels.ToImmutableDictionary(StringComparer.Ordinal),
        state.State.Draining, state.State.Health, _health.Failures, _health.LastCheckAt, _health.LastError);

    private static void Validate(DockerHostRegistration registration, out string? tlsDir)
    {
        tlsDir = DockerEndpoint.Parse(registration.Endpoint, registration.TlsDir).TlsDir;
        if (registration.Capacity is < 0 or > 10_000)
            throw new ArgumentException($"capacity {registration.Capacity} must be between 0 and 10000");
        if (registration.Labels is null || registration.Labels.Keys.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("host label keys must not be empty");
    }

    private Task Persist() => (_writes ??= new QueuedWrites(() => state.WriteStateAsync())).Next();

    private void Forget(string containerId)
    {
        _ledger.Forget(containerId);
        _pool.Forget(containerId);
        state.State.Extensions.Remove(containerId);
    }

    /// <summary>A listed container as its session sees it: as claimed from the pool, or as extended.</summary>
    private SandboxContainer Effective(SandboxContainer listed) => _pool.Claimed(listed) ?? Extended(listed);

    /// <summary>The container as its session sees it: with the later of its label's and its extension's deadline.</summary>
    private SandboxContainer Extended(SandboxContainer container) =>
        state.State.Extensions.TryGetValue(container.Id, out var extended) ? container.ExtendedTo(extended) : container;
}
