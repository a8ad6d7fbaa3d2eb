using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>
/// GrantService: short-lived stub tokens for a session (orchestrator key). Every refusal is an
/// <see cref="RpcException"/> with <see cref="StatusCode.PermissionDenied"/> and the detail <c>credential_unavailable</c>,
/// whatever the reason; the reason is in the audit log.
/// </summary>
public sealed class GrantsClient
{
    /// <summary>The one detail of every refusal.</summary>
    public const string CredentialUnavailable = "credential_unavailable";

    private readonly GrantService.GrantServiceClient _client;
    private readonly CallDefaults _defaults;

    internal GrantsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new GrantService.GrantServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>Mints a token for <paramref name="action"/> on <paramref name="resource"/>, valid for <paramref name="ttl"/> (default: the session's maximum grant TTL).</summary>
    public async Task<IssuedGrant> RequestAsync(
        string session, string resource, string action, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var request = new RequestGrantRequest
        {
            Session = session,
            Resource = resource,
            Action = action,
            Ttl = ttl is { } t ? Duration.FromTimeSpan(t) : null,
        };
        return IssuedGrant.From(await _client.RequestGrantAsync(request, _defaults.For(cancellationToken)));
    }

    /// <summary>Revokes the session's grant whose token hash starts with <paramref name="tokenHashPrefix"/>, or every one of its grants; returns how many.</summary>
    public async Task<int> RevokeAsync(string session, string? tokenHashPrefix = null, CancellationToken cancellationToken = default)
    {
        var request = new RevokeGrantsRequest { Session = session, TokenHashPrefix = tokenHashPrefix ?? string.Empty };
        return (await _client.RevokeGrantsAsync(request, _defaults.For(cancellationToken))).Revoked;
    }
}
