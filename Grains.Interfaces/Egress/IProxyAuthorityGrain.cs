namespace AgentCluster.Grains.Egress;

/// <summary>
/// The deployment's proxy CA: one grain (key <see cref="Key"/>) so that its first call, which
/// creates the CA, is serialised by the single activation and every proxy gets the same CA.
/// </summary>
[Alias("AgentCluster.Grains.Egress.IProxyAuthorityGrain")]
public interface IProxyAuthorityGrain : IGrainWithStringKey
{
    public const string Key = "default";

    /// <summary>The CA, created and stored in the vault on the first call. The cluster is one trust boundary: only proxies call this.</summary>
    [Alias("Get")]
    Task<ProxyAuthority> Get();
}

/// <summary>The CA certificate and its PKCS#8 private key, both PEM.</summary>
[GenerateSerializer, Immutable]
public sealed record ProxyAuthority(
    [property: Id(0)] string CertificatePem,
    [property: Id(1)] string PrivateKeyPem)
{
    /// <summary>The key never reaches a log through a record's generated ToString.</summary>
    public override string ToString() => nameof(ProxyAuthority);

    /// <summary>How the vault holds it: the two PEM blocks, one after the other.</summary>
    public string Sealed => CertificatePem + "\n" + PrivateKeyPem;

    public static ProxyAuthority Unseal(string value)
    {
        var end = value.IndexOf("-----END CERTIFICATE-----", StringComparison.Ordinal);
        if (end < 0)
            throw new FormatException("the stored proxy CA holds no certificate");
        end += "-----END CERTIFICATE-----".Length;
        return new ProxyAuthority(value[..end].Trim(), value[end..].Trim());
    }
}
