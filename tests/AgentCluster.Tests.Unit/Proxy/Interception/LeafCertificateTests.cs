using System.Net;
using System.Security.Cryptography.X509Certificates;
using AgentCluster.Grains.Egress;
using AgentCluster.Proxy.Interception;

namespace AgentCluster.Tests.Unit.Proxy.Interception;

public sealed class LeafCertificateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly X509Certificate2 Ca = Load(ProxyCertificateAuthority.Create(Now.AddDays(-1)));

    private static X509Certificate2 Load(AgentCluster.Grains.Egress.ProxyAuthority a) =>
        X509Certificate2.CreateFromPem(a.CertificatePem, a.PrivateKeyPem);

    [Fact]
    public void A_leaf_names_its_host_and_is_signed_by_the_ca()
    {
        using var leaf = LeafCertificates.Issue(Ca, "api.example.com", Now);

        Assert.True(leaf.HasPrivateKey);
        Assert.True(leaf.MatchesHostname("api.example.com"));
        Assert.False(leaf.MatchesHostname("other.example.com"));
        Assert.False(leaf.MatchesHostname("x.api.example.com"));
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["api.example.com"], san.EnumerateDnsNames());
        Assert.Equal(Ca.SubjectName.Name, leaf.IssuerName.Name);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(ChainsTo(leaf, Ca, Now));
    }

    [Fact]
    public void A_leaf_is_not_signed_by_another_ca()
    {
        using var other = Load(ProxyCertificateAuthority.Create(Now.AddDays(-1)));
        using var leaf = LeafCertificates.Issue(Ca, "api.example.com", Now);

        Assert.False(ChainsTo(leaf, other, Now));
    }

    [Fact]
    public void A_leaf_lives_a_day_at_most()
    {
        using var leaf = LeafCertificates.Issue(Ca, "api.example.com", Now);

        Assert.True(leaf.NotBefore.ToUniversalTime() <= Now.UtcDateTime);
        Assert.True(leaf.NotAfter.ToUniversalTime() <= Now.Add(LeafCertificates.Validity).UtcDateTime);
        Assert.True(leaf.NotAfter.ToUniversalTime() > Now.AddHours(12).UtcDateTime);
        Assert.False(ChainsTo(leaf, Ca, Now.AddDays(2)));
    }

    [Fact]
    public void An_ip_literal_gets_an_ip_address_name()
    {
        using var leaf = LeafCertificates.Issue(Ca, "127.0.0.1", Now);

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal([IPAddress.Loopback], san.EnumerateIPAddresses());
        Assert.Empty(san.EnumerateDnsNames());
    }

    [Fact]
    public void Leaves_are_cached_per_host_and_renewed_near_their_end()
    {
        var clock = new SetClock(Now);
        var leaves = new LeafCertificates(Ca, clock);

        var first = leaves.For("api.example.com");
        Assert.Same(first, leaves.For("api.example.com"));
        Assert.NotSame(first, leaves.For("other.example.com"));

        clock.Now += LeafCertificates.Validity - TimeSpan.FromMinutes(30);
        var renewed = leaves.For("api.example.com");
        Assert.NotSame(first, renewed);
        Assert.True(renewed.NotAfter > first.NotAfter);
    }

    private static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 ca, DateTimeOffset at)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        return chain.Build(leaf);
    }

    private sealed class SetClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
