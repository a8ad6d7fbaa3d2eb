namespace AgentCluster.Grains.Computer;

/// <summary>
/// The computer of one desktop session, keyed by the session's id: it owns the channel to the
/// session's computer server (through its host's engine) and puts every action through the
/// session's approval gate and into its audit trail.
/// </summary>
[Alias("AgentCluster.Grains.Computer.IComputerGrain")]
public interface IComputerGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks the action, gates it and, if the gate lets it through, performs it and audits it as
    /// <c>computer.action</c>. An action the gate holds answers Pending with its approval id; asked
    /// again with that id once it is approved, it is performed (Denied when the approval is not
    /// approved, or is not for exactly this action of this session).
    /// </summary>
    /// <remarks>
    /// Longer than Orleans' 30 s default: a navigate may wait 20 s for a cold desktop's browser on
    /// top of the channel's 10 s, and a server that stays silent costs one more timeout for the probe.
    /// </remarks>
    [Alias("Act")]
    [ResponseTimeout("00:01:30")]
    Task<ComputerOutcome> Act(ComputerAction action, string actor, string? approvalId);

    /// <summary>
    /// A watcher's next frame, once its <c>watch_frames</c> passed the gate through <see cref="Act"/>:
    /// checked against the session's state, neither gated nor audited again.
    /// </summary>
    [Alias("Frame")]
    [ResponseTimeout("00:01:00")]
    Task<ComputerOutcome> Frame(ScreenArea? region, double? scale);

    /// <summary>
    /// Hands the computer server of <paramref name="containerId"/> on <paramref name="host"/> the
    /// session's egress proxy (its address on that host, <paramref name="credential"/> and the
    /// deployment's CA), the one way the credential reaches a desktop: Done, or Unavailable with why.
    /// Called by the session while it starts (so it never calls the session back), and at claim time.
    /// </summary>
    [Alias("Configure")]
    [ResponseTimeout("00:01:00")]
    Task<ComputerOutcome> Configure(string host, string containerId, Egress.ProxyCredential credential);

    /// <summary>
    /// Takes a screenshot for the approval just opened for one of the session's actions and keeps it
    /// with the approval. One-way: the gate that opened the approval never waits for the picture.
    /// </summary>
    [Alias("CaptureForApproval")]
    [Orleans.Concurrency.OneWay]
    Task CaptureForApproval(string approvalId);
}
