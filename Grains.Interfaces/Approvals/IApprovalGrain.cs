namespace AgentCluster.Grains.Approvals;

/// <summary>
/// One held irreversible action, keyed by its id. A timer at the deadline records Expired (a
/// denial); a reminder is the durable backstop that fires it after a silo loss.
/// </summary>
[Alias("AgentCluster.Grains.Approvals.IApprovalGrain")]
public interface IApprovalGrain : IGrainWithStringKey
{
    /// <summary>Opens the approval once; a second call returns what the first opened.</summary>
    [Alias("Open")]
    Task<ApprovalInfo> Open(ApprovalRequest request);

    /// <summary>Null when no approval has this id.</summary>
    [Alias("Get")]
    Task<ApprovalInfo?> Get();

    /// <summary>The first decision wins; every later one is refused and audited.</summary>
    [Alias("Decide")]
    Task<DecisionResult> Decide(bool approve, string actor, string note);

    /// <summary>The session ended: a pending approval becomes a denial.</summary>
    [Alias("Withdraw")]
    Task Withdraw(string reason);

    /// <summary>
    /// The requester went away (a held HTTP request whose client hung up): a pending approval
    /// becomes a denial, audited as <c>approval.withdrawn</c>, so nobody approves what can no longer go out.
    /// </summary>
    [Alias("Abandon")]
    Task Abandon(string actor, string reason);

    /// <summary>
    /// The orchestrator reports that it executed the approved action with exactly this payload.
    /// Anything else (another payload, a second report, an undecided or refused approval) is refused and audited.
    /// </summary>
    [Alias("Complete")]
    Task<CompletionStatus> Complete(string payloadSha256, string outcome, string actor);

    /// <summary>
    /// Keeps the screen the session showed when the action was asked for: once, and only while the
    /// approval is pending (a picture taken after a decision shows nothing the approver decided on).
    /// </summary>
    [Alias("AttachScreen")]
    Task<bool> AttachScreen(ApprovalScreen screen);

    /// <summary>The screen kept by <see cref="AttachScreen"/>; null when none was (not a desktop, or it did not answer).</summary>
    [Alias("GetScreen")]
    Task<ApprovalScreen?> GetScreen();

    /// <summary>Whether a screen is kept, without moving the picture: what a list of approvals asks.</summary>
    [Alias("HasScreen")]
    Task<bool> HasScreen();

    /// <summary>
    /// Returns as soon as the approval is decided, or after <paramref name="maxWait"/> with it still
    /// pending. Interleaves, so waiters never hold up a decision.
    /// </summary>
    [Alias("WaitForDecision")]
    [Orleans.Concurrency.AlwaysInterleave]
    Task<ApprovalInfo?> WaitForDecision(TimeSpan maxWait);
}
