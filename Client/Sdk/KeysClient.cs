using AgentCluster.Api.V1;
using Grpc.Core;

namespace AgentCluster.Client.Sdk;

/// <summary>KeyService: issue, list and revoke API keys.</summary>
public sealed class KeysClient
{
    private readonly KeyService.KeyServiceClient _client;
    private readonly CallDefaults _defaults;

    internal KeysClient(ChannelBase channel, CallDefaults defaults)
    {
        _client = new KeyService.KeyServiceClient(channel);
        _defaults = defaults;
    }

    public async Task<IssuedApiKey> CreateAsync(string tenant, IEnumerable<string> roles, CancellationToken cancellationToken = default)
    {
        var request = new CreateKeyRequest { Tenant = tenant };
        request.Roles.AddRange(roles);
        var response = await _client.CreateKeyAsync(request, _defaults.For(cancellationToken));
        return new IssuedApiKey(ApiKeyInfo.From(response.Key ?? new ApiKey()), response.Secret);
    }

    public async Task<IReadOnlyList<ApiKeyInfo>> ListAsync(string tenant, CancellationToken cancellationToken = default)
    {
        var response = await _client.ListKeysAsync(new ListKeysRequest { Tenant = tenant }, _defaults.For(cancellationToken));
        return [.. response.Keys.Select(ApiKeyInfo.From)];
    }

    public async Task<ApiKeyInfo> RevokeAsync(string id, CancellationToken cancellationToken = default) =>
        ApiKeyInfo.From(await _client.RevokeKeyAsync(new RevokeKeyRequest { Id = id }, _defaults.For(cancellationToken)));
}
