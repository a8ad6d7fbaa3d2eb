using AgentCluster.Grains.Credentials;

namespace AgentCluster.Tests.Cluster.Grains.Sessions;

/// <summary>A vault with no secrets: the session tests here mint no grants.</summary>
public sealed class NoSecretVault : ISecretVault
{
    public string ActiveKeyId => "none";

    public Task<SecretMetadata> PutAsync(SecretMetadata metadata, string value, CancellationToken ct = default) =>
        throw new NotSupportedException("this cluster keeps no secrets");

    public Task<IReadOnlyList<SecretMetadata>> ListAsync(string tenant, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<SecretMetadata>>([]);

    public Task<SecretMetadata?> FindAsync(string tenant, string resource, CancellationToken ct = default) => Task.FromResult<SecretMetadata?>(null);

    public Task<(SecretMetadata Metadata, string Value)?> RevealAsync(string tenant, string resource, CancellationToken ct = default) =>
        Task.FromResult<(SecretMetadata, string)?>(null);

    public Task<bool> RemoveAsync(string tenant, string resource, CancellationToken ct = default) => Task.FromResult(false);

    public Task<int> RotateAsync(CancellationToken ct = default) => Task.FromResult(0);
}
