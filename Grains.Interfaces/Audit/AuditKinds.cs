namespace AgentCluster.Grains.Audit;

/// <summary>
/// The fixed list of audit event kinds. It grows with each layer; a kind is never renamed,
/// because verifiers and alert rules outside the cluster match on it.
/// </summary>
public static class AuditKinds
{
    public const string TenantCreated = "tenant.created";
    public const string TenantUpdated = "tenant.updated";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string KeyBootstrapped = "key.bootstrapped";
    public const string SecretPut = "secret.put";
    public const string SecretRemoved = "secret.removed";
    public const string SessionCreated = "session.created";
    public const string SessionStateChanged = "session.state_changed";
    public const string SessionKilled = "session.killed";
    public const string SessionAllowlistChanged = "session.allowlist_changed";
    public const string GrantIssued = "grant.issued";
    public const string GrantDenied = "grant.denied";
    public const string GrantRevoked = "grant.revoked";
    public const string GrantResolved = "grant.resolved";
    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalDecided = "approval.decided";
    public const string ApprovalRefused = "approval.refused";
    public const string ApprovalCompleted = "approval.completed";
    public const string ApprovalWithdrawn = "approval.withdrawn";
    public const string ApprovalNotified = "approval.notified";
    public const string ApprovalNotifyFailed = "approval.notify_failed";
    public const string ActionAuthorized = "action.authorized";
    public const string EgressForwarded = "egress.forwarded";
    public const string EgressDenied = "egress.denied";

    /// <summary>How a swapped request ended (status, bytes, latency); its <see cref="EgressForwarded"/> row was made durable before it went out.</summary>
    public const string EgressCompleted = "egress.completed";
    public const string HostAdded = "host.added";
    public const string HostDrained = "host.drained";
    public const string HostUndrained = "host.undrained";

    /// <summary>A host that failed its isolation check (the fleet's canary); written by the fleet work that checks it.</summary>
    public const string HostUnsafe = "host.unsafe";

    /// <summary>
    /// A host's reconcile killed a container no live session claims. Defined for the reconcile in
    /// DockerHostGrain.Reconcile.cs to write; not yet written (that grain is being reworked apart).
    /// </summary>
    public const string SessionReaped = "session.reaped";
    public const string ProxyCaCreated = "proxy.ca_created";

    /// <summary>
    /// One action on a desktop session's computer (screenshot, click, type …), done, refused or
    /// failed; typed text appears only as length and hash prefix. Batched like egress rows.
    /// </summary>
    public const string ComputerAction = "computer.action";

    /// <summary>
    /// Someone watched a session's screen from the operator's console: the key, the session and the
    /// view (the live screen or the list's thumbnail), at most once per key, session and view every
    /// few minutes, not once per frame. Durable: the picture is shown only once the watching is on record.
    /// </summary>
    public const string ConsoleScreenViewed = "console.screen_viewed";

    /// <summary>
    /// A browser signed in to the console with an API key (success: the key's tenant, the key's id
    /// as actor, the sign-in's cookie-hash prefix as subject), or was refused (denied: the system
    /// tenant, the remote address only; nothing of what was typed).
    /// </summary>
    public const string ConsoleSignedIn = "console.signed_in";

    /// <summary>A console sign-in ended by its browser's Sign out.</summary>
    public const string ConsoleSignedOut = "console.signed_out";

    public static readonly IReadOnlyList<string> All =
    [
        TenantCreated, TenantUpdated, KeyCreated, KeyRevoked, KeyBootstrapped, SecretPut, SecretRemoved,
        SessionCreated, SessionStateChanged, SessionKilled, SessionAllowlistChanged, GrantIssued, GrantDenied, GrantRevoked, GrantResolved,
        ApprovalRequested, ApprovalDecided, ApprovalRefused, ApprovalCompleted, ApprovalWithdrawn, ApprovalNotified, ApprovalNotifyFailed,
        ActionAuthorized, EgressForwarded, EgressDenied, EgressCompleted,
        HostAdded, HostDrained, HostUndrained, HostUnsafe, SessionReaped, ProxyCaCreated, ComputerAction,
        ConsoleScreenViewed, ConsoleSignedIn, ConsoleSignedOut,
    ];

    /// <summary>
    /// Security-relevant kinds: the caller's operation is not acknowledged until the row is
    /// durable, so no acknowledged action can lack its audit row.
    /// </summary>
    /// Administration (tenant.*, secret.*) is held to the same rule.
    public static bool IsDurable(string kind) =>
        kind.StartsWith("grant.", StringComparison.Ordinal)
        || kind.StartsWith("key.", StringComparison.Ordinal)
        || kind.StartsWith("tenant.", StringComparison.Ordinal)
        || kind.StartsWith("secret.", StringComparison.Ordinal)
        || (kind.StartsWith("approval.", StringComparison.Ordinal) && kind is not ApprovalNotified)
        || kind.StartsWith("host.", StringComparison.Ordinal)
        || kind.StartsWith("proxy.", StringComparison.Ordinal)
        || kind.StartsWith("console.", StringComparison.Ordinal)
        || kind is ActionAuthorized or SessionKilled or SessionReaped or SessionAllowlistChanged;

    /// <summary>
    /// As <see cref="IsDurable(string)"/>, and an extension too: a session given more time is
    /// acknowledged only once that is on record, though other state changes are not waited for.
    /// </summary>
    public static bool IsDurable(AuditEvent auditEvent) =>
        IsDurable(auditEvent.Kind) || (auditEvent.Kind == SessionStateChanged && auditEvent.Outcome == SessionExtended);

    /// <summary>The outcome of a <see cref="SessionStateChanged"/> row that records an extension.</summary>
    public const string SessionExtended = "extended";

    /// <summary>True when <paramref name="kind"/> matches a filter like <c>session.*</c> or an exact kind.</summary>
    public static bool Matches(string filter, string kind) =>
        filter.EndsWith(".*", StringComparison.Ordinal)
            ? kind.StartsWith(filter[..^1], StringComparison.Ordinal)
            : kind == filter;
}
