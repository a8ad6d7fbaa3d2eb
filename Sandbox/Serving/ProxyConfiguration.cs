using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Serving;

/// <summary>
/// The session's egress proxy as handed over by configure (at launch or claim time). Held in memory only: the credential
/// is a secret of the session and is never written to a file or a log.
/// </summary>
internal sealed class ProxyConfiguration
{
    private readonly TaskCompletionSource<ProxySettings> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ProxySettings? _settings;

    public ProxySettings? Current => _settings;

    public void Set(ProxySettings settings)
    {
        _settings = settings;
        _first.TrySetResult(settings);
    }

    /// <summary>
    /// The settings, once configure has brought them: a browser started on its session's first page
    /// asks for it before the silo's configure arrives, and that request waits rather than fails.
    /// Null if none came within <paramref name="patience"/>.
    /// </summary>
    public async Task<ProxySettings?> WaitAsync(TimeSpan patience, CancellationToken ct)
    {
        if (_settings is { } settings)
            return settings;
        try
        {
            return await _first.Task.WaitAsync(patience, ct);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// The proxy is an http:// URL with nothing but host and port, and the credential is
    /// <c>user:secret</c> (it goes into Proxy-Authorization as it is); an error names the field, never its value.
    /// </summary>
    public static void Check(ProxySettings settings)
    {
        if (!Uri.TryCreate(settings.Url, UriKind.Absolute, out var uri) || uri.Scheme != "http" || uri.UserInfo.Length > 0
            || uri.PathAndQuery != "/" || uri.Fragment.Length > 0)
            throw new ArgumentException("proxy url must be http://host:port with no user, path or query");
        if (settings.Credential is not { Length: > 2 and <= 1024 } credential || credential.IndexOf(':', StringComparison.Ordinal) <= 0
            || credential.Any(char.IsControl))
            throw new ArgumentException("proxy credential must be user:secret without control characters (at most 1024 characters)");
    }
}
