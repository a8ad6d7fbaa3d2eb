using System.Text;
using AgentCluster.Grains.Egress;
using AgentCluster.Grains.Sessions;
using Microsoft.Extensions.Primitives;

namespace AgentCluster.Proxy.Identity;

/// <summary>
/// Reads <c>Proxy-Authorization: Basic base64(user:secret)</c>, the user a session id or a
/// warm-pool container's credential id; anything else is no credential.
/// </summary>
public static class ProxyAuthorization
{
    public const string Challenge = "Basic realm=\"agentcluster-egress\"";
    private const int MaxSecretLength = 256;

    public static (string User, string Secret)? Parse(StringValues header)
    {
        // Two credentials is no credential: the proxy and the upstream must never disagree on which counts.
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return null;
        var encoded = value[6..].Trim();
        var buffer = new byte[encoded.Length];
        if (encoded.Length > 1024 || !Convert.TryFromBase64String(encoded, buffer, out var length))
            return null;
        string decoded;
        try
        {
            decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, length);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return null;
        var (user, secret) = (decoded[..colon], decoded[(colon + 1)..]);
        return (SessionIds.IsValid(user) || PooledCredentials.IsValid(user)) && secret.Length is > 0 and <= MaxSecretLength ? (user, secret) : null;
    }
}
