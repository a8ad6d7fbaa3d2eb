using System.Net;

namespace AgentCluster.Grains.Fleet;

/// <summary>
/// A Docker engine's address: <c>unix:///path.sock</c>, or <c>tcp://host:port</c> with a TLS folder.
/// Plain tcp is accepted only on loopback: the engine's API is root on that host.
/// </summary>
public sealed record DockerEndpoint(Uri Uri, string? TlsDir)
{
    public bool IsUnix => Uri.Scheme == "unix";

    public static DockerEndpoint Parse(string endpoint, string? tlsDir)
    {
        if (!Uri.TryCreate(endpoint?.Trim(), UriKind.Absolute, out var uri))
            throw new ArgumentException($"endpoint '{endpoint}' is not a URI (unix:///path.sock or tcp://host:2376)");
        var dir = string.IsNullOrWhiteSpace(tlsDir) ? null : tlsDir.Trim();

        switch (uri.Scheme)
        {
            case "unix":
                if (uri.AbsolutePath.Length <= 1 || dir is not null)
                    throw new ArgumentException($"endpoint '{endpoint}' must be unix:///absolute/path.sock, without a TLS folder");
                return new DockerEndpoint(uri, null);
            case "tcp":
                if (uri.Port <= 0 || uri.AbsolutePath.Length > 1)
                    throw new ArgumentException($"endpoint '{endpoint}' must be tcp://host:port");
                if (dir is null && !IsLoopback(uri.Host))
                    throw new ArgumentException($"endpoint '{endpoint}' is not on loopback and so needs a TLS folder (ca.pem, cert.pem, key.pem)");
                return new DockerEndpoint(uri, dir);
            default:
                throw new ArgumentException($"endpoint '{endpoint}' must start with unix:// or tcp://");
        }
    }

    public override string ToString() => TlsDir is null ? Uri.ToString() : $"{Uri} (tls {TlsDir})";

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
