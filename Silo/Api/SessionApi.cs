using System.Collections.Immutable;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

internal sealed class SessionApi(IGrainFactory grains, IAuditLog audit)
    : SessionService.SessionServiceBase
{
    public override async Task<Session> CreateSession(CreateSessionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var tenantName = caller.TenantFor(request.Tenant);
        // Its quota is none: a cluster-admin key, whose own tenant it is, acts for a tenant it names.
        if (tenantName == SystemTenant.Name)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                "the system tenant runs no sessions: a cluster-admin key names the session's tenant (agentctl: --tenant NAME)"));
        var tenant = await grains.GetGrain<ITenantGrain>(tenantName).Get() ?? throw Caller.NotFound("tenant", tenantName);
        var id = SessionIds.New();

        var result = await grains.GetGrain<ISessionGrain>(id).Create(SessionRequests.From(request, tenant, caller.KeyId));
        return result.Status switch
        {
            SessionCreateStatus.Ready or SessionCreateStatus.Failed => SessionMapping.ToProto(result.Session!),
            SessionCreateStatus.NoCapacity => throw await Refuse(caller, tenantName, id, StatusCode.ResourceExhausted, result.Error!),
            // Broken rules: nothing was created, so this refusal is the only record of the attempt.
            SessionCreateStatus.Invalid when !result.Errors.IsDefaultOrEmpty =>
                throw await Refuse(caller, tenantName, id, StatusCode.InvalidArgument, string.Join("; ", result.Errors)),
            // A launch the fleet refused: the session exists, Failed, and its own audit says why.
            SessionCreateStatus.Invalid => throw new RpcException(new Status(StatusCode.InvalidArgument, result.Error ?? "invalid session")),
            _ => throw new RpcException(new Status(StatusCode.Internal, "session id collision; retry")),
        };
    }

    public override async Task<Session> GetSession(GetSessionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin, Roles.Auditor);
        return SessionMapping.ToProto(await Visible(caller, request.Id));
    }

    public override async Task<ListSessionsResponse> ListSessions(ListSessionsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin, Roles.Auditor);
        var tenantName = caller.TenantFor(request.Tenant);
        var tenant = grains.GetGrain<ITenantGrain>(tenantName);
        if (await tenant.Get() is null)
            throw Caller.NotFound("tenant", tenantName);
        SessionStatus? wanted = request.State.Length == 0 ? null
            : Enum.TryParse<SessionStatus>(request.State, ignoreCase: true, out var s) ? s
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"unknown state {request.State}; states are {string.Join(", ", Enum.GetNames<SessionStatus>())}"));

        var sessions = await Task.WhenAll((await tenant.ListSessions()).Select(id => grains.GetGrain<ISessionGrain>(id).Get()));
        var response = new ListSessionsResponse();
        response.Sessions.AddRange(sessions.OfType<SessionInfo>()
            .Where(x => wanted is null || x.Status == wanted)
            .Select(SessionMapping.ToProto));
        return response;
    }

    public override async Task<Session> KillSession(KillSessionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        await Visible(caller, request.Id);
        var reason = request.Reason.Length > 0 ? request.Reason : $"killed by {caller.KeyId}";
        return SessionMapping.ToProto((await grains.GetGrain<ISessionGrain>(request.Id).Kill(caller.KeyId, reason))!);
    }

    public override async Task<Session> ExtendSession(ExtendSessionRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        await Visible(caller, request.Id);
        var ttl = request.Ttl?.ToTimeSpan() ?? TimeSpan.Zero;
        return Changed(request.Id, await grains.GetGrain<ISessionGrain>(request.Id).Extend(ttl, caller.KeyId));
    }

    public override async Task<Session> ChangeAllowHosts(ChangeAllowHostsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        await Visible(caller, request.Id);
        return Changed(request.Id, await grains.GetGrain<ISessionGrain>(request.Id).ChangeAllowHosts([.. request.Allow], [.. request.Deny], caller.KeyId));
    }

    /// <summary>The session grain decides; this only says it in gRPC.</summary>
    private static Session Changed(string id, SessionChangeResult result) => result.Status switch
    {
        SessionChangeStatus.Applied => SessionMapping.ToProto(result.Session!),
        SessionChangeStatus.Invalid => throw new RpcException(new Status(StatusCode.InvalidArgument, result.Error!)),
        SessionChangeStatus.Ended => throw new RpcException(new Status(StatusCode.FailedPrecondition, result.Error!)),
        _ => throw Caller.NotFound("session", id),
    };

    private Task<SessionInfo> Visible(Caller caller, string id) => ApiLookups.VisibleSession(grains, caller, id);

    private async Task<RpcException> Refuse(Caller caller, string tenant, string id, StatusCode code, string reason)
    {
        await audit.AppendAsync(new AuditEvent(tenant, caller.KeyId, AuditKinds.SessionCreated, id, AuditOutcomes.Denied,
            reason, AuditEvent.NoDetail));
        return new RpcException(new Status(code, reason));
    }
}
