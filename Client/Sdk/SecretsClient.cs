using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>SecretService: the write-only vault (admin key). No call returns a secret value.</summary>
public sealed class SecretsClient
{
    private readonly SecretService.SecretServiceClient _client;
    private readonly CallDefaults _defaults;

    internal SecretsClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new SecretService.SecretServiceClient(channel);
        _defaults = defaults;
    }

    /// <summary>Stores <paramref name="value"/> for the tenant's resource, replacing the one there, and returns the metadata.</summary>
    public async Task<SecretInfo> PutAsync(NewSecret secret, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new ArgumentException("The secret value is empty.", nameof(value));
        }

        // The request is never formatted or logged: its ToString would print the value.
        var request = new PutSecretRequest
        {
            Tenant = secret.Tenant,
            Resource = secret.Resource,
            Header = secret.Header ?? string.Empty,
            Format = secret.Format ?? string.Empty,
            BasicUser = secret.BasicUser ?? string.Empty,
            AllowPlainHttp = secret.AllowPlainHttp,
            Value = value,
        };
        request.Hosts.AddRange(secret.Hosts);
        request.Actions.AddRange(secret.Actions);
        request.Methods.AddRange(secret.Methods);
        return SecretInfo.From(await _client.PutSecretAsync(request, _defaults.For(cancellationToken)));
    }

    public async Task<IReadOnlyList<SecretInfo>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var response = await _client.ListSecretsAsync(new ListSecretsRequest { Tenant = tenant }, _defaults.For(cancellationToken));
        return [.. response.Secrets.Select(SecretInfo.From)];
    }

    public async Task RemoveAsync(string tenant, string resource, CancellationToken cancellationToken = default) =>
        await _client.RemoveSecretAsync(new RemoveSecretRequest { Tenant = tenant, Resource = resource }, _defaults.For(cancellationToken));

    /// <summary>Re-encrypts every secret under the vault's active key (cluster admin).</summary>
    public async Task<KeyRotation> RotateKeyAsync(CancellationToken cancellationToken = default)
    {
        var response = await _client.RotateKeyAsync(new RotateKeyRequest(), _defaults.For(cancellationToken));
        return new KeyRotation(response.KeyId, response.Reencrypted, response.Note);
    }
}
