namespace AgentCluster.Grains.Fleet.Hosts;

/// <summary>
/// What the warm pool asks of a desktop's computer server, through the engine's attach (a seam,
/// so that the pool's sequences are tested without a desktop). A warm desktop's attach stays open
/// across its pause (<see cref="IDesktopLine"/>), so that its claim need not attach after the thaw.
/// </summary>
public interface IDesktopServer
{
    /// <summary>
    /// Returns once the server answers and the browser's window is on its screen, with the attach
    /// that asked still open; throws otherwise.
    /// </summary>
    Task<IDesktopLine> WaitForBrowserAsync(IDockerEngine engine, string containerId, CancellationToken ct = default);

    /// <summary>
    /// Hands a claimed desktop its session, over an attach of its own: the egress (the proxy on this
    /// host, the session's credential and the proxy CA; null on a host without a proxy) and the first
    /// page, if any. For a desktop whose line was lost (a new activation of its host).
    /// </summary>
    Task StartSessionAsync(IDockerEngine engine, string containerId, SessionEgress? egress, string? firstPage, CancellationToken ct = default);
}

/// <summary>
/// A warm desktop's attach to its computer server, kept open while the desktop is paused. An
/// engine refuses a new attach to a paused container, but bytes written to an open one wait in the
/// container's stdin: a claim writes its session there before the unpause, and the server reads it
/// the moment it thaws (measured, the attach after the thaw and its answer were 7-50 ms of a claim).
/// </summary>
public interface IDesktopLine : IAsyncDisposable
{
    /// <summary>
    /// Writes the session's start (as <see cref="IDesktopServer.StartSessionAsync"/>) and returns once
    /// it is written; the task it returns completes with the server's answer, or throws.
    /// </summary>
    Task<Task> StartSessionAsync(SessionEgress? egress, string? firstPage, CancellationToken ct = default);
}

/// <summary>A session's way out as its desktop gets it: the proxy's address and port on the host, its credential, the CA (PEM) the proxy signs with.</summary>
public sealed record SessionEgress(string ProxyAddress, int ProxyPort, Egress.ProxyCredential Credential, string? CaCertificatePem)
{
    // A record prints its members; this one must never print the secret.
    public override string ToString() => $"SessionEgress {{ Proxy = {ProxyAddress}:{ProxyPort}, User = {Credential.User} }}";
}
