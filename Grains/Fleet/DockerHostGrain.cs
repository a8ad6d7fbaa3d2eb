using System.Collections.Immutable;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Fleet.Hosts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// One Docker engine: timers, the reminder, persistence and the calls to other grains, around the
/// plain classes of <c>Hosts/</c> that keep what it knows and run its sequences on the engine.
/// Reentrant, so that a kill never waits behind a slow create: every field below, and the state of
/// those classes, is only touched between awaits, and the persisted state is written through
/// <see cref="Persist"/>, which queues writes instead of letting them race on the ETag.
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
    private readonly SandboxKills _kills = new(fleetOptions.Value.ReconcileInterval, clock, logger);
    private readonly SandboxLaunch _launch = new(containerSpec, fleetOptions.Value.ProxyPort, clock, logger);
    private readonly SessionNotices _notices = new(logger);
    private readonly StartBoost _boost = new(fleetOptions.Value.DesktopStartBoost.For, fleetOptions.Value.DesktopStartBoost.NanoCpus, clock, logger);
    private IDockerEngine? _engine;
    private string? _deployment;
    private QueuedWrites? _writes;

    private PoolClaim PoolClaim => field ??= new(_kills, Desktops, _options.ProxyPort, logger, _boost);

    private PoolContainers PoolContainers => field ??= new(containerSpec, _options.ProxyPort, clock, _kills, Desktops, logger, ProxyCa);

    private DesktopServer Desktops => field ??= new(logger);

    private HealthProbe Probe => field ??= new(
        new Reconciliation(_kills, _notices, claims, _options.ClaimGrace, clock, logger,
            ServiceProvider.GetService<IAuditLog>() is { } audit ? audit.AppendAsync : null, _boost),
        new SandboxCanary(containerSpec, _options.Canary, _options.ProxyPort, clock), logger);

    private string Name => this.GetPrimaryKeyString();

    private IDockerEngine Engine => _engine ??= engines.Get(DockerEndpoint.Parse(state.State.Endpoint, state.State.TlsDir));

    /// <summary>This host as a sequence that begins now sees it.</summary>
    private HostContext Here => new(Name, Engine, state.State, _ledger, _pool, _health) { Deployment = _deployment };

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Registered)
        {
            await KnowDeployment();
            await StartChecks();
            StartWarmPool();
        }
    }

    public async Task<DockerHostStatus> Register(DockerHostRegistration registration)
    {
        await KnowDeployment();
        if (HostRegistration.Apply(state.State, registration, _ledger, _health) is { } change)
        {
            // A new endpoint is a new host, with an engine client of its own.
            if (change == HostRegistration.Change.Moved)
                _engine = null;
            await Persist();
            logger.LogInformation("Docker host {Host} registered: {Endpoint}, capacity {Capacity}", Name, state.State.Endpoint, state.State.Capacity);
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
        state.State.Draining, state.State.Health, _health.Failures, _health.LastCheckAt, _health.LastError)
    {
        UnsafeReason = state.State.Health == HostHealth.Unsafe ? state.State.UnsafeReason : null,
        TlsDir = state.State.TlsDir,
    };

    /// <summary>Before the first check or launch: what it makes carries the id, and what it judges is what carries it.</summary>
    private async Task KnowDeployment() =>
        _deployment ??= await GrainFactory.GetGrain<IDeploymentGrain>(IDeploymentGrain.Key).GetId();

    private Task Persist() => (_writes ??= new QueuedWrites(() => state.WriteStateAsync())).Next();
}
