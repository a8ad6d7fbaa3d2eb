using System.Collections.Immutable;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace AgentCluster.Silo.Api;

internal sealed class KeyApi(IGrainFactory grains, IAuditLog audit, ILogger<KeyApi> logger) : KeyService.KeyServiceBase
{
    public override async Task<CreateKeyResponse> CreateKey(CreateKeyRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin);
        var tenantName = caller.TenantFor(request.Tenant);
        var roles = request.Roles.Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (roles.IsEmpty)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "a key needs at least one role"));
        if (roles.FirstOrDefault(r => !Roles.All.Contains(r)) is { } unknown)
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"unknown role {unknown}; roles are {string.Join(", ", Roles.All.Order())}"));

        var tenant = grains.GetGrain<ITenantGrain>(tenantName);
        if (await tenant.Get() is null)
            throw Caller.NotFound("tenant", tenantName);

        var secret = ApiKeyId.NewKey();
        var key = await tenant.AddKey(ApiKeyId.Hash(secret), roles);
        try
        {
            await audit.AppendAsync(AuditedAdministration.Event(caller, key.Tenant, AuditKinds.KeyCreated, key.Id,
                ("roles", string.Join(",", key.Roles))));
        }
        catch (Exception e) when (e is not RpcException)
        {
            // Unaudited means unacknowledged: the caller never sees this key, so nobody may use it.
            await grains.GetGrain<IApiKeyGrain>(key.Id).Revoke();
            throw new RpcException(new Status(StatusCode.Unavailable, "the audit log could not record the new key; nothing was created"));
        }
        logger.LogInformation("Key {KeyId} created for tenant {Tenant} with roles {Roles} by {Caller}",
            key.Id, key.Tenant, string.Join(",", key.Roles), caller.KeyId);
        return new CreateKeyResponse { Key = ToProto(key), Secret = secret };
    }

    public override async Task<ListKeysResponse> ListKeys(ListKeysRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin, Roles.Auditor);
        var tenantName = caller.TenantFor(request.Tenant);
        var tenant = grains.GetGrain<ITenantGrain>(tenantName);
        if (await tenant.Get() is null)
            throw Caller.NotFound("tenant", tenantName);

        var response = new ListKeysResponse();
        response.Keys.AddRange((await tenant.ListKeys()).Select(ToProto));
        return response;
    }

    public override async Task<ApiKey> RevokeKey(RevokeKeyRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin);
        var grain = grains.GetGrain<IApiKeyGrain>(request.Id);
        if (string.IsNullOrEmpty(request.Id) || await grain.Get() is not { } key || !caller.CanSee(key.Tenant))
            throw Caller.NotFound("key", request.Id);

        var revoked = await grain.Revoke();
        await audit.AppendAsync(AuditedAdministration.Event(caller, key.Tenant, AuditKinds.KeyRevoked, key.Id));
        logger.LogInformation("Key {KeyId} of tenant {Tenant} revoked by {Caller}", key.Id, key.Tenant, caller.KeyId);
        return ToProto(revoked!);
    }

    internal static ApiKey ToProto(ApiKeyInfo k)
    {
        var key = new ApiKey { Id = k.Id, Tenant = k.Tenant, Roles = { k.Roles }, CreatedAt = Timestamp.FromDateTimeOffset(k.CreatedAt) };
        if (k.RevokedAt is { } revoked)
            key.RevokedAt = Timestamp.FromDateTimeOffset(revoked);
        return key;
    }
}
