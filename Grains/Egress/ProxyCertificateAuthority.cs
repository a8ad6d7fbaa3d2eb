using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AgentCluster.Grains.Egress;

/// <summary>Makes the deployment's proxy CA: ECDSA P-256, self-signed, allowed only to sign certificates.</summary>
public static class ProxyCertificateAuthority
{
    public const string SubjectName = "CN=AgentCluster egress proxy CA, O=AgentCluster";

    /// <summary>Long enough to outlive sandbox images built to trust it; rotation means a new CA and new images.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(3650);

    public static ProxyAuthority Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName, key, HashAlgorithmName.SHA256);
        // pathLength 0: the CA signs leaves only, never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // A little backdating, so a sandbox whose clock lags still accepts it.
        using var certificate = request.CreateSelfSigned(now.AddHours(-1), now.Add(Validity));
        return new ProxyAuthority(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
