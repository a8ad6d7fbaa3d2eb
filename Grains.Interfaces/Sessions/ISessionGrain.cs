namespace AgentCluster.Grains.Sessions;

/// <summary>
/// One per agent session, keyed by its id (<c>ses_</c> + random). Owns the container's life: a
/// grain timer kills it at the deadline, and a reminder is the durable backstop.
/// </summary>
[Alias("AgentCluster.Grains.Sessions.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks the request against its tenant and the fleet's limits (Invalid with every broken rule,
    /// nothing created), then launches the container and returns once the session is Ready or
    /// Failed. A used id is never reused.
    /// </summary>
    [Alias("Create")]
    Task<SessionCreateResult> Create(SessionRequest request);

    /// <summary>Null when no such session was ever created.</summary>
    [Alias("Get")]
    Task<SessionInfo?> Get();

    /// <summary>Hard kill (SIGKILL, no grace). Idempotent.</summary>
    [Alias("Kill")]
    Task<SessionInfo?> Kill(string actor, string reason);

    /// <summary>
    /// Moves the deadline to now + ttl, never past its tenant's maximum session TTL from creation.
    /// Refused (Invalid) for a ttl that is not positive, and for a session that has ended.
    /// </summary>
    [Alias("Extend")]
    Task<SessionChangeResult> Extend(TimeSpan ttl, string actor);

    /// <summary>Does this live session own that container? Asked by host reconciles.</summary>
    [Alias("Claims")]
    Task<bool> Claims(string containerId);

    /// <summary>
    /// Mints a stub token if the session's policy allows (resource, action) and the vault holds a
    /// matching credential. A refusal says nothing about why; the reason is audited.
    /// </summary>
    [Alias("RequestGrant")]
    Task<Credentials.GrantIssue> RequestGrant(string resource, string action, TimeSpan? ttl, string actor);

    /// <summary>Revokes the session's grants whose token hash starts with the prefix (all when empty).</summary>
    [Alias("RevokeGrants")]
    Task<int> RevokeGrants(string tokenHashPrefix, string actor);

    /// <summary>Activity on the session's behalf (the egress proxy forwarding for it): resets its idle timeout.</summary>
    [Alias("Touch")]
    [Orleans.Concurrency.OneWay]
    Task Touch();

    /// <summary>
    /// The egress proxy's check of a <c>Proxy-Authorization</c>: the session's allowlist when the
    /// SHA-256 of the presented secret is this session's and the session is Ready; null otherwise
    /// (wrong secret, ended, killed, not yet started). Interleaves: a request never waits behind a launch.
    /// </summary>
    [Alias("AuthorizeEgress")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Egress.EgressPolicy?> AuthorizeEgress(string secretHash);

    /// <summary>
    /// Whether the session issued the grant with this token hash and it has not expired or been
    /// revoked through the session: what the proxy asks before it troubles a grant grain with a
    /// stub its cached answer does not know. Interleaves; records nothing.
    /// </summary>
    [Alias("HoldsGrant")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<bool> HoldsGrant(string tokenHash);

    /// <summary>
    /// Adds allowlist entries (made canonical, see <c>AllowEntry</c>) and removes the ones <paramref name="deny"/>
    /// names (<c>host</c>: every port; <c>host:port</c>: that entry). Audited. Refused whole (Invalid)
    /// when an entry is not a host or host:port or none is named, and for a session that has ended.
    /// </summary>
    [Alias("ChangeAllowHosts")]
    Task<SessionChangeResult> ChangeAllowHosts(System.Collections.Immutable.ImmutableArray<string> allow,
        System.Collections.Immutable.ImmutableArray<string> deny, string actor);

    /// <summary>
    /// The approval gate: classifies the action with the tenant's overrides; an irreversible one
    /// opens an approval that the session denies if it ends first. Null when no such session exists.
    /// </summary>
    [Alias("Authorize")]
    Task<Approvals.ActionAuthorization?> Authorize(Approvals.ActionRequest request);

    /// <summary>
    /// The risk the gate would give the action, with nothing recorded: the egress proxy's fast path,
    /// which calls <see cref="Authorize"/> only for what is not Reversible. Interleaves; the tenant's
    /// overrides it applies may be up to a few seconds old. Null when no such session exists.
    /// </summary>
    [Alias("Classify")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<Approvals.ActionClassification?> Classify(Approvals.ActionRequest request);

    /// <summary>Its host was declared unhealthy: the container can no longer be reached.</summary>
    [Alias("MarkLost")]
    Task MarkLost(string host);

    /// <summary>
    /// Its sandbox no longer runs: the session turns Lost (Terminated once its deadline passed),
    /// which revokes its grants and denies its pending approvals. A loss that names a host, a
    /// container or a creation time applies only to a session that matches it. Null when there is
    /// no such session.
    /// </summary>
    [Alias("Lose")]
    Task<SessionInfo?> Lose(SessionLoss loss);

    /// <summary>
    /// Something the session needs stopped working for good (its computer server no longer
    /// answers): the container is killed and the session is Failed with the reason, which revokes
    /// its grants and denies its pending approvals. Only while the session is live and still runs
    /// <paramref name="containerId"/>. Null when there is no such session.
    /// </summary>
    [Alias("Fail")]
    Task<SessionInfo?> Fail(string containerId, string reason);
}
