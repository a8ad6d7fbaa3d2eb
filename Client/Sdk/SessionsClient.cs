using AgentCluster.Api.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>SessionService: one hardened, ephemeral container per agent session (orchestrator or admin key).</summary>
public sealed class SessionsClient
{
    private readonly SessionService.SessionServiceClient _client;
    private readonly CallDefaults _defaults;

    internal SessionsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new SessionService.SessionServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>
    /// Returns once the session is Ready or Failed; a Failed one is returned, not thrown, with its reason.
    /// No capacity on any host is a <see cref="RpcException"/> with <see cref="StatusCode.ResourceExhausted"/>.
    /// </summary>
    public async Task<SessionInfo> CreateAsync(NewSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var request = new CreateSessionRequest
        {
            Tenant = session.Tenant ?? string.Empty,
            Image = session.Image,
            Ttl = Duration.FromTimeSpan(session.Ttl),
            MemoryBytes = session.MemoryBytes ?? 0,
            PidsLimit = session.PidsLimit ?? 0,
            NanoCpus = session.NanoCpus ?? 0,
            IdleTimeout = session.IdleTimeout is { } idle ? Duration.FromTimeSpan(idle) : null,
            MaxGrantTtl = session.MaxGrantTtl is { } grantTtl ? Duration.FromTimeSpan(grantTtl) : null,
            StartUrl = session.StartUrl ?? string.Empty,
        };
        if (session.InspectTls is { } inspect)
        {
            request.InspectTls = inspect;
        }

        request.AllowHosts.AddRange(session.AllowHosts);
        request.AllowGrants.AddRange(session.AllowGrants);
        foreach (var (key, value) in session.HostLabels)
        {
            request.HostLabels[key] = value;
        }

        return SessionInfo.From(await _client.CreateSessionAsync(request, _defaults.For(cancellationToken)));
    }

    public async Task<SessionInfo> GetAsync(string id, CancellationToken cancellationToken = default) =>
        SessionInfo.From(await _client.GetSessionAsync(new GetSessionRequest { Id = id }, _defaults.For(cancellationToken)));

    /// <summary>The sessions of <paramref name="tenant"/> (default: the key's own), in <paramref name="state"/> if given.</summary>
    public async Task<IReadOnlyList<SessionInfo>> ListAsync(
        string? tenant = null, string? state = null, CancellationToken cancellationToken = default)
    {
        var request = new ListSessionsRequest { Tenant = tenant ?? string.Empty, State = state ?? string.Empty };
        var response = await _client.ListSessionsAsync(request, _defaults.For(cancellationToken));
        return [.. response.Sessions.Select(SessionInfo.From)];
    }

    /// <summary>Hard kill (SIGKILL, no grace); killing an ended session again changes nothing.</summary>
    public async Task<SessionInfo> KillAsync(string id, string? reason = null, CancellationToken cancellationToken = default) =>
        SessionInfo.From(await _client.KillSessionAsync(
            new KillSessionRequest { Id = id, Reason = reason ?? string.Empty }, _defaults.For(cancellationToken)));

    /// <summary>New deadline = now + <paramref name="ttl"/>, never past the tenant's maximum TTL from creation.</summary>
    public async Task<SessionInfo> ExtendAsync(string id, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        SessionInfo.From(await _client.ExtendSessionAsync(
            new ExtendSessionRequest { Id = id, Ttl = Duration.FromTimeSpan(ttl) }, _defaults.For(cancellationToken)));

    /// <summary>Changes a live session's egress allowlist: removes what <paramref name="deny"/> names, then adds <paramref name="allow"/>.</summary>
    public async Task<SessionInfo> ChangeAllowHostsAsync(string id, IEnumerable<string> allow, IEnumerable<string> deny,
        CancellationToken cancellationToken = default)
    {
        var request = new ChangeAllowHostsRequest { Id = id };
        request.Allow.AddRange(allow);
        request.Deny.AddRange(deny);
        return SessionInfo.From(await _client.ChangeAllowHostsAsync(request, _defaults.For(cancellationToken)));
    }
}
