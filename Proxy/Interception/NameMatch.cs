using AgentCluster.Grains.Egress;

namespace AgentCluster.Proxy.Interception;

/// <summary>The CONNECT target, the TLS server name and the inner Host header must all name the same host (and port).</summary>
public static class NameMatch
{
    /// <summary>Null when the server name fits the target; an absent name fits (clients send none for an IP literal).</summary>
    public static string? ServerName(Authority target, string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
            return null;
        return HostNames.Normalize(serverName, out _) is { } name && name == target.Host ? null : "sni-mismatch";
    }

    /// <summary>Null when the inner request's Host names the CONNECT target; a missing Host is a mismatch too.</summary>
    public static string? Host(Authority target, string? host)
    {
        if (string.IsNullOrEmpty(host))
            return "host-missing";
        return Authority.Parse(host, target.Port, out _) == target ? null : "host-mismatch";
    }
}
