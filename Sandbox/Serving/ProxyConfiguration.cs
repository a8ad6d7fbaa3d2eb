using AgentCluster.ComputerProtocol;

namespace AgentCluster.ComputerServer.Serving;

/// <summary>
/// The session's egress proxy as handed over at claim time. Held in memory only: the credential
/// is a secret of the session and is never written to a file or a log.
/// </summary>
internal sealed class ProxyConfiguration
{
    private volatile ProxySettings? _settings;

    public ProxySettings? Current => _settings;

    public void Set(ProxySettings settings) => _settings = settings;
}
