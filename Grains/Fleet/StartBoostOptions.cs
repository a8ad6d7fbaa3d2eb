namespace AgentCluster.Grains.Fleet;

/// <summary>
/// <c>AgentCluster:Fleet:DesktopStartBoost</c>: a cold desktop's CPU cap while its browser starts
/// and draws its first page (a pooled one starts off every session's path, and is not boosted). Chromium starts as a dozen processes at once, and on one CPU they queue
/// (measured: a cold start URL's page 0.74x as late on two). A cap is not a reservation, so the
/// boost costs no density; it ends at the first reconcile after <see cref="For"/>, when the
/// container gets its session's own cap back. It is the operator's, not the tenant's: it may
/// exceed a tenant's most CPU for those seconds. 0 turns it off.
/// </summary>
public sealed class StartBoostOptions
{
    public long NanoCpus { get; set; } = 2 * SandboxSpec.NanoCpusPerCpu;

    /// <summary>From the desktop's creation.</summary>
    public TimeSpan For { get; set; } = TimeSpan.FromSeconds(5);
}
