using System.Security.Cryptography.X509Certificates;
using AgentCluster.Grains.Egress;
using ProxyAuthority = AgentCluster.Grains.Egress.ProxyAuthority;

namespace AgentCluster.Tests.Unit.Grains.Egress;

public sealed class ProxyCertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_ca_is_a_self_signed_ca_that_may_sign_only_leaves()
    {
        var authority = ProxyCertificateAuthority.Create(Now);
        using var ca = X509Certificate2.CreateFromPem(authority.CertificatePem, authority.PrivateKeyPem);

        Assert.True(ca.HasPrivateKey);
        Assert.Equal(ca.SubjectName.Name, ca.IssuerName.Name);
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.HasPathLengthConstraint);
        Assert.Equal(0, constraints.PathLengthConstraint);
        Assert.True(ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal("1.2.840.10045.2.1", ca.PublicKey.Oid.Value); // id-ecPublicKey
        Assert.True(ca.NotBefore.ToUniversalTime() < Now.UtcDateTime && ca.NotAfter.ToUniversalTime() > Now.AddYears(5).UtcDateTime);
    }

    [Fact]
    public void Each_creation_is_a_new_key()
    {
        Assert.NotEqual(ProxyCertificateAuthority.Create(Now).PrivateKeyPem, ProxyCertificateAuthority.Create(Now).PrivateKeyPem);
    }

    [Fact]
    public void The_vault_form_round_trips_and_the_key_is_pkcs8()
    {
        var authority = ProxyCertificateAuthority.Create(Now);

        var unsealed = ProxyAuthority.Unseal(authority.Sealed);

        Assert.Equal(authority, unsealed);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", unsealed.CertificatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", unsealed.PrivateKeyPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", unsealed.CertificatePem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_value_without_a_certificate_is_refused()
    {
        Assert.Throws<FormatException>(() => ProxyAuthority.Unseal("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
    }

    [Fact]
    public void Its_text_form_never_shows_the_key()
    {
        var authority = ProxyCertificateAuthority.Create(Now);

        Assert.DoesNotContain("PRIVATE", authority.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN", $"{authority}", StringComparison.Ordinal);
    }
}
