using AgentCluster.ComputerProtocol;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Computer;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Fleet;
using AgentCluster.Grains.Tenants;

namespace AgentCluster.Grains.Sessions;

public sealed partial class SessionGrain
{
    /// <summary>The backstop's period; Orleans reminders tick at most once a minute.</summary>
    public static readonly TimeSpan BackstopPeriod = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan BackstopGrace = TimeSpan.FromSeconds(5);

    public async Task<SessionCreateResult> Create(SessionRequest request)
    {
        if (Exists)
            return new(SessionCreateStatus.AlreadyExists, Info(), "a session id is never reused");

        // Checked before the tenant's slot is taken: a refused request holds nothing.
        var tenant = GrainFactory.GetGrain<ITenantGrain>(request.Tenant);
        if (await tenant.Get() is not { } tenantInfo)
            return Refused([$"tenant {request.Tenant} does not exist"]);
        request = SessionRules.Canonical(request, tenantInfo.Quotas);
        var now = clock.GetUtcNow();
        if (SessionRules.Errors(request, tenantInfo, fleet.Value, Id, now) is { Count: > 0 } errors)
            return Refused(errors);
        if (FirstPage(request) is { } firstPage && StartUrlHeld(firstPage, request.Actor, tenantInfo) is { } held)
            return Refused([held]);

        if (!await tenant.ReserveSession(Id))
            return new(SessionCreateStatus.NoCapacity, null, $"tenant {request.Tenant} is at its maximum of concurrent sessions");

        S.Tenant = request.Tenant;
        S.Image = request.Image;
        S.CreatedAt = now;
        S.Deadline = now + request.Ttl;
        S.AllowHosts = [.. request.AllowHosts];
        S.AllowGrants = [.. request.AllowGrants];
        S.MaxGrantTtl = request.MaxGrantTtl;
        S.IdleTimeout = request.IdleTimeout;
        S.CreatedBy = request.Actor;
        S.Desktop = fleet.Value.IsDesktop(request.Image);
        S.InspectTls = request.InspectTls ?? S.Desktop;
        var proxySecret = ProxyCredentials.NewSecret();
        S.ProxyCredentialHash = ProxyCredentials.Hash(proxySecret);
        S.Status = SessionStatus.Pending;
        await state.WriteStateAsync();
        await Audit(request.Actor, AuditKinds.SessionCreated, AuditOutcomes.Success, "",
            ("image", request.Image), ("deadline", S.Deadline.ToString("O")));

        // Durable before anything exists on a host, so a crash from here on still ends in a kill.
        // Due just after the deadline: the precise timer kills first, the reminder only if it could not.
        await this.RegisterOrUpdateReminder(Backstop, DueOrNow(S.Deadline - now) + BackstopGrace, BackstopPeriod);
        ArmDeadline();

        await Transition(SessionStatus.Starting, request.Actor, "");
        var spec = SessionRules.Sandbox(Id, request, S.Deadline, S.Desktop) with { Proxy = new ProxyCredential(Id, proxySecret) };
        var launch = await GrainFactory.GetGrain<IFleetGrain>(IFleetGrain.Key).Launch(spec);
        if (launch.Status != LaunchStatus.Started)
        {
            S.Reason = launch.Error;
            await Transition(SessionStatus.Failed, request.Actor, launch.Error ?? launch.Status.ToString());
            await Release();
            var status = launch.Status switch
            {
                LaunchStatus.NoCapacity or LaunchStatus.HostUnavailable => SessionCreateStatus.NoCapacity,
                LaunchStatus.Invalid or LaunchStatus.ImageNotFound => SessionCreateStatus.Invalid,
                _ => SessionCreateStatus.Failed,
            };
            return new(status, Info(), launch.Error);
        }

        (S.Host, S.ContainerId, S.ContainerIp) = (launch.Host, launch.ContainerId, launch.IpAddress);
        if (S.Desktop && !launch.Pooled && await ConfigureComputer(proxySecret) is { } unconfigured)
            return unconfigured;
        // A pooled sandbox speaks to the proxy with the credential it was made with, now bound to us alone.
        S.ProxyCredentialHash = launch.ProxyCredentialHash ?? S.ProxyCredentialHash;
        await Transition(SessionStatus.Ready, request.Actor, "", ("host", launch.Host!), ("container", launch.ContainerId!),
            ("pooled", launch.Pooled ? "true" : "false"), ("credential", launch.PooledCredential ?? "own"));
        if (FirstPage(request) is { } opened)
            await audit.AppendAsync(ComputerAudit.Row(S.Tenant!, request.Actor, Id, opened,
                new ComputerOutcome(ComputerStatus.Done) { Risk = RiskLevel.Reversible.ToString() }));
        Touch();
        return new(SessionCreateStatus.Ready, Info(), null);
    }

    /// <summary>
    /// A cold desktop's browser gets the session's egress through its computer server's channel; a
    /// server that does not take it fails the session, its container killed. Null when configured.
    /// </summary>
    private async Task<SessionCreateResult?> ConfigureComputer(string proxySecret)
    {
        var configured = await GrainFactory.GetGrain<IComputerGrain>(Id).Configure(S.Host!, S.ContainerId!, new ProxyCredential(Id, proxySecret));
        if (configured.Status == ComputerStatus.Done)
            return null;
        var container = await KillContainer();
        S.Reason = configured.Error;
        await Transition(SessionStatus.Failed, AuditActors.System, configured.Error ?? "", ("container", container));
        await Release();
        return new(SessionCreateStatus.Failed, Info(), configured.Error);
    }

    /// <summary>The first page as the navigate it is: gated, audited and described like any other.</summary>
    private static ComputerAction? FirstPage(SessionRequest request) =>
        request.StartUrl is { } url ? new ComputerAction(ComputerActions.Navigate) { Url = url } : null;

    /// <summary>
    /// Why the first page cannot be opened at create: a create does not wait for an approver, so a
    /// tenant whose gate holds browser.navigate navigates once the session is Ready. Null when it may.
    /// </summary>
    private string? StartUrlHeld(ComputerAction firstPage, string actor, TenantInfo tenant)
    {
        var request = new ActionRequest(ComputerDescription.GateName(firstPage.Kind), ComputerDescription.GatePayload(firstPage), actor);
        var risk = gate.Classify(request, tenant.Approvals).Risk;
        return risk == RiskLevel.Reversible ? null
            : $"start url: tenant {tenant.Name}'s gate makes {request.Action} {risk}, and a create does not wait for an approval; "
              + "navigate once the session is Ready instead";
    }

    private static SessionCreateResult Refused(IReadOnlyList<string> errors) =>
        new(SessionCreateStatus.Invalid, null, string.Join("; ", errors)) { Errors = [.. errors] };

    private static TimeSpan DueOrNow(TimeSpan due) => due > TimeSpan.FromSeconds(1) ? due : TimeSpan.FromSeconds(1);

    private async Task Transition(SessionStatus to, string actor, string reason, params (string Key, string Value)[] detail)
    {
        var from = S.Status;
        S.Status = to;
        await state.WriteStateAsync();
        if (from == SessionStatus.Starting)
            StartEnded();
        if (from == SessionStatus.Ready)
            await ForgetEgress();
        await Audit(actor, AuditKinds.SessionStateChanged, to.ToString().ToLowerInvariant(), reason,
            [("from", from.ToString()), ("to", to.ToString()), .. detail]);
    }

    private Task Audit(string actor, string kind, string outcome, string reason, params (string Key, string Value)[] detail) =>
        audit.AppendAsync(new AuditEvent(S.Tenant!, actor, kind, Id, outcome, reason,
            AuditEvent.NoDetail.AddRange(detail.Select(d => new KeyValuePair<string, string>(d.Key, d.Value)))));

    private SessionInfo Info() => new(Id, S.Tenant!, S.Status, S.Image, S.Host, S.ContainerId, S.ContainerIp,
        S.CreatedAt, S.Deadline, S.Reason, [.. S.AllowHosts], [.. S.AllowGrants], S.MaxGrantTtl) { Desktop = S.Desktop, InspectTls = S.InspectTls };
}
