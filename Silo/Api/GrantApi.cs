using AgentCluster.Api.V1;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Sessions;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

/// <summary>
/// The broker's front door. Every refusal is the same bytes, PermissionDenied
/// "credential_unavailable", whether the session is unknown, ended, outside its policy or the vault has nothing.
/// </summary>
internal sealed class GrantApi(IGrainFactory grains) : GrantService.GrantServiceBase
{
    private static RpcException Unavailable => new(new Status(StatusCode.PermissionDenied, GrantIssue.Opaque));

    public override async Task<Grant> RequestGrant(RequestGrantRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var session = await Visible(caller, request.Session);
        TimeSpan? ttl = request.Ttl is null ? null : request.Ttl.ToTimeSpan();
        var issue = await grains.GetGrain<ISessionGrain>(session.Id).RequestGrant(request.Resource, request.Action, ttl, caller.KeyId);
        if (!issue.Granted)
            throw Unavailable;
        return new Grant
        {
            Token = issue.Token, ExpiresAt = Timestamp.FromDateTimeOffset(issue.ExpiresAt), TokenHashPrefix = issue.TokenHashPrefix,
            Session = session.Id, Resource = request.Resource, Action = request.Action,
        };
    }

    public override async Task<RevokeGrantsResponse> RevokeGrants(RevokeGrantsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Orchestrator, Roles.Admin);
        var session = await Visible(caller, request.Session);
        if (request.TokenHashPrefix.Any(c => !Uri.IsHexDigit(c)))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the token hash prefix must be hex"));
        var count = await grains.GetGrain<ISessionGrain>(session.Id).RevokeGrants(request.TokenHashPrefix.ToLowerInvariant(), caller.KeyId);
        return new RevokeGrantsResponse { Revoked = count };
    }

    /// <summary>Another tenant's or an unknown session is a refusal like any other, not a NotFound that would reveal it.</summary>
    private async Task<SessionInfo> Visible(Caller caller, string id) =>
        SessionIds.IsValid(id) && await grains.GetGrain<ISessionGrain>(id).Get() is { } s && caller.CanSee(s.Tenant)
            ? s
            : throw Unavailable;
}
