using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;

namespace AgentCluster.Grains.Computer;

/// <summary>
/// A desktop session's computer: checks, gates, performs and audits its actions. Reentrant, so a
/// watcher's frames and a wait do not queue behind each other; one orchestrator's actions stay in
/// order because each waits for its answer. Fields change only between awaits.
/// </summary>
[Reentrant]
public sealed partial class ComputerGrain(IAuditLog audit, IDockerEngines engines, IOptions<FleetOptions> fleetOptions, ILogger<ComputerGrain> logger)
    : Grain, IComputerGrain
{
    private Task<ComputerChannel>? _channel;
    private string? _channelContainer;

    private string Id => this.GetPrimaryKeyString();

    private ISessionGrain Session => GrainFactory.GetGrain<ISessionGrain>(Id);

    public async Task<ComputerOutcome> Act(ComputerAction action, string actor, string? approvalId)
    {
        var info = await Session.Get();
        if (Unusable(info) is { } unusable)
            return unusable;
        if (ComputerActionRules.Error(action) is { } invalid)
            return new(ComputerStatus.Invalid, invalid);
        Session.Touch().Ignore();
        var navigation = action.Kind == ComputerActions.Navigate ? NavigationTarget.Parse(action.Url!, out _) : null;
        if (navigation?.Target is { } target && !SessionAllowlist.Allows(info!.AllowHosts, target))
        {
            var refused = new ComputerOutcome(ComputerStatus.Refused, $"navigate to {target} refused: it is not on session {Id}'s allowlist");
            await Record(info, actor, action, refused);
            return refused;
        }

        var gate = await Gate(action, actor, approvalId);
        if (gate.Status != ComputerStatus.Done)
        {
            if (gate.Status is ComputerStatus.Denied or ComputerStatus.TooManyPending)
                await Record(info!, actor, action, gate);
            return gate;
        }
        try
        {
            var done = await Perform(info!, action, navigation?.Url) with { Risk = gate.Risk, ApprovalId = gate.ApprovalId };
            await Record(info!, actor, action, done);
            if (gate.ApprovalId is { } approval)
                await Complete(approval, action, actor, done.Status == ComputerStatus.Done);
            return done;
        }
        finally
        {
            if (gate.ApprovalId is { } approval)
                _approvalsInUse.Remove(approval);
        }
    }

    public async Task<ComputerOutcome> Frame(ScreenArea? region, double? scale)
    {
        var info = await Session.Get();
        var action = new ComputerAction(ComputerActions.Screenshot) { Region = region, Scale = scale };
        return Unusable(info) ?? (ComputerActionRules.Error(action) is { } invalid
            ? new(ComputerStatus.Invalid, invalid)
            : await Perform(info!, action, null));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        if (_channel is { IsCompletedSuccessfully: true } channel)
            await channel.Result.DisposeAsync();
    }

    /// <summary>Why the session has no computer to act on now; null when it has.</summary>
    private ComputerOutcome? Unusable(SessionInfo? info) =>
        info is null ? new(ComputerStatus.NotFound, $"session {Id} not found")
        : !info.Desktop ? new(ComputerStatus.NotDesktop,
            $"session {Id} runs {info.Image}, which is not a desktop image: it has no computer (desktop images: the fleet's DesktopImages)")
        : info.Status != SessionStatus.Ready ? new(ComputerStatus.Ended, $"session {Id} is {info.Status}, not Ready")
        : null;

    /// <summary>The row every action leaves, done or not: batched with the tenant's other rows nobody waits for.</summary>
    private Task Record(SessionInfo info, string actor, ComputerAction action, ComputerOutcome outcome) =>
        audit.AppendAsync(ComputerAudit.Row(info.Tenant, actor, Id, action, outcome));

    /// <summary>One channel per container, made on first use: the engine client is the host's, shared by the silo.</summary>
    private Task<ComputerChannel> Channel(SessionInfo info) => Channel(info.Host!, info.ContainerId!);

    private Task<ComputerChannel> Channel(string host, string containerId)
    {
        if (_channel is null || _channelContainer != containerId || _channel.IsFaulted)
        {
            _channelContainer = containerId;
            _channel = Open(host, containerId);
        }
        return _channel;
    }

    private async Task<ComputerChannel> Open(string host, string containerId) =>
        new(await Engine(host), containerId, ComputerChannel.DefaultTimeout, logger);

    private async Task<IDockerEngine> Engine(string host)
    {
        var status = await GrainFactory.GetGrain<IDockerHostGrain>(host).GetStatus()
            ?? throw new ComputerChannelException($"host {host} of session {Id} is not registered");
        return engines.Get(DockerEndpoint.Parse(status.Endpoint, status.TlsDir));
    }
}
