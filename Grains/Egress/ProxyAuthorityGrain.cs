using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.Logging;

namespace AgentCluster.Grains.Egress;

/// <summary>
/// Keeps the proxy CA in the vault under the system tenant. <see cref="Resource"/> has a '.',
/// which tenant resource names cannot, so no secret put through the API can collide with it.
/// </summary>
public sealed class ProxyAuthorityGrain(ISecretVault vault, IAuditLog audit, TimeProvider clock, ILogger<ProxyAuthorityGrain> logger)
    : Grain, IProxyAuthorityGrain
{
    public const string Resource = "proxy.ca";

    private ProxyAuthority? _authority;

    public async Task<ProxyAuthority> Get()
    {
        if (_authority is not null)
            return _authority;
        if (await vault.RevealAsync(SystemTenant.Name, Resource) is { } stored)
            return _authority = ProxyAuthority.Unseal(stored.Value);

        var created = ProxyCertificateAuthority.Create(clock.GetUtcNow());
        await vault.PutAsync(new SecretMetadata(SystemTenant.Name, Resource, [], [], null, null, null, "", default), created.Sealed);
        logger.LogInformation("Created the proxy CA and stored it in the vault as {Tenant}/{Resource}", SystemTenant.Name, Resource);
        // Every intercepted connection trusts this CA: its making is on record before any proxy gets it.
        using var certificate = X509Certificate2.CreateFromPem(created.CertificatePem);
        await audit.AppendAsync(new AuditEvent(SystemTenant.Name, AuditActors.System, AuditKinds.ProxyCaCreated, Resource, AuditOutcomes.Success, "",
            AuditEvent.NoDetail.Add("subject", certificate.Subject).Add("sha256", certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant())
                .Add("notAfter", certificate.NotAfter.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture))));
        return _authority = created;
    }
}
