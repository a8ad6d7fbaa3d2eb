using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Proxy.Interception;

/// <summary>
/// Short-lived server certificates for intercepted hosts, signed by the deployment's proxy CA
/// and kept per host until they near their end.
/// </summary>
public sealed class LeafCertificates(X509Certificate2 authority, TimeProvider clock)
{
    public static readonly TimeSpan Validity = TimeSpan.FromHours(24);

    // Renewed this long before the end, so no handshake is served a certificate about to lapse.
    private static readonly TimeSpan RenewBefore = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, X509Certificate2> _issued = new(StringComparer.Ordinal);

    public X509Certificate2 Authority => authority;

    /// <summary>The leaf for <paramref name="host"/> (a canonical host name or IP literal), issued on first use.</summary>
    public X509Certificate2 For(string host)
    {
        var now = clock.GetUtcNow();
        if (_issued.TryGetValue(host, out var cached) && cached.NotAfter.ToUniversalTime() - RenewBefore > now.UtcDateTime)
            return cached;
        var leaf = Issue(authority, host, now);
        _issued[host] = leaf;
        return leaf;
    }

    public static X509Certificate2 Issue(X509Certificate2 authority, string host, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=" + Escape(host)), key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
            names.AddIpAddress(address);
        else
            names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build(critical: true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));

        var notBefore = now.AddMinutes(-5);
        var notAfter = Min(now.Add(Validity), authority.NotAfter);
        using var signed = request.Create(authority, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));
        return signed.CopyWithPrivateKey(key);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTime b) =>
        a < new DateTimeOffset(b.ToUniversalTime()) ? a : new DateTimeOffset(b.ToUniversalTime());

    // A host name never holds these, but a distinguished name must not be built from unchecked text.
    private static string Escape(string host) => host.Replace("\"", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal)
        .Replace("+", "", StringComparison.Ordinal).Replace("=", "", StringComparison.Ordinal);
}
