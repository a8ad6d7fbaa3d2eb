namespace AgentCluster.Grains.Fleet;

/// <summary>
/// <c>AgentCluster:Fleet:DesktopStartBoost</c>: a desktop's CPU cap while its browser draws its
/// first page: a cold one's from its creation, a pooled one's from its claim (it is created at its
/// own cap: its start is off every session's path). Chromium starts as a dozen processes at once,
/// and on one CPU they queue (measured: a cold start URL's page 0.74x as late on two). A cap is not
/// a reservation, so the boost costs no density; it ends at the first reconcile after
/// <see cref="For"/>, when the container gets its session's own cap back. It is the operator's,
/// not the tenant's: it may exceed a tenant's most CPU for those seconds. 0 turns it off.
/// </summary>
public sealed class StartBoostOptions
{
    public long NanoCpus { get; set; } = 2 * SandboxSpec.NanoCpusPerCpu;

    /// <summary>From a cold desktop's creation, or a pooled one's claim.</summary>
    public TimeSpan For { get; set; } = TimeSpan.FromSeconds(5);
}
