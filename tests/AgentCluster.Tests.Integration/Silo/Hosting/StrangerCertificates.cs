using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace AgentCluster.Tests.Integration.Silo.Hosting;

/// <summary>
/// Orleans clients that reached a cluster's port without being given a certificate of its CA:
/// in clear, over TLS with no certificate, with a self-signed one, or with one from another CA
/// that copies every name of the real ones. Each accepts whatever the silo shows.
/// </summary>
internal static class StrangerCertificates
{
    public static void Configure(IClientBuilder client, string stranger)
    {
        switch (stranger)
        {
            case "plain":
                return;
            case "tls-without-certificate":
                client.UseTls(tls =>
                {
                    tls.ClientCertificateMode = RemoteCertificateMode.NoCertificate;
                    tls.AllowAnyRemoteCertificate();
                });
                return;
            case "self-signed":
                client.UseTls(Proxy(null), Shown);
                return;
            case "same-names-other-ca":
                using (var otherCa = DeploymentCa())
                    client.UseTls(Proxy(otherCa), Shown);
                return;
            default:
                throw new ArgumentException($"unknown stranger {stranger}", nameof(stranger));
        }
    }

    private static void Shown(TlsOptions tls)
    {
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.AllowAnyRemoteCertificate();
    }

    /// <summary>The subject make-certs.sh gives the real CA.</summary>
    private static X509Certificate2 DeploymentCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=AgentCluster deployment CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>A client certificate named like the real proxy's, self-signed when <paramref name="issuer"/> is null.</summary>
    private static X509Certificate2 Proxy(X509Certificate2? issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=proxy", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var (from, to) = (DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var made = issuer is null ? request.CreateSelfSigned(from, to) : SignedWithKey(request, issuer, key, from, to);
        return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 SignedWithKey(
        CertificateRequest request, X509Certificate2 issuer, ECDsa key, DateTimeOffset from, DateTimeOffset to)
    {
        using var signed = request.Create(issuer, from, to, RandomNumberGenerator.GetBytes(8));
        return signed.CopyWithPrivateKey(key);
    }
}
