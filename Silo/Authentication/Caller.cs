using System.Security.Claims;
using AgentCluster.Grains.Tenants;
using Grpc.Core;

namespace AgentCluster.Silo.Authentication;

/// <summary>Who is calling: the key's id, its tenant and its roles.</summary>
internal sealed record Caller(string KeyId, string Tenant, IReadOnlySet<string> Roles)
{
    private const string TenantClaim = "agentcluster:tenant";

    /// <summary>An admin of the system tenant acts on every tenant.</summary>
    public bool IsClusterAdmin => Tenant == SystemTenant.Name && Roles.Contains(Grains.Tenants.Roles.Admin);

    public static IEnumerable<Claim> ToClaims(ApiKeyInfo key) =>
        [
            new(ClaimTypes.NameIdentifier, key.Id),
            new(TenantClaim, key.Tenant),
            .. key.Roles.Select(r => new Claim(ClaimTypes.Role, r)),
        ];

    public static Caller? FromPrincipal(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirstValue(TenantClaim) is { } tenant
            ? new(user.FindFirstValue(ClaimTypes.NameIdentifier)!, tenant,
                user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal))
            : null;

    public static Caller From(ServerCallContext context) =>
        FromPrincipal(context.GetHttpContext().User)
        ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "missing or invalid API key"));

    /// <summary>Passes when the key has any of the roles.</summary>
    public Caller Require(params string[] anyOf)
    {
        if (!anyOf.Any(Roles.Contains))
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"this call needs the {string.Join(" or ", anyOf)} role"));
        return this;
    }

    public Caller RequireClusterAdmin()
    {
        if (!IsClusterAdmin)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "this call needs a cluster-admin key"));
        return this;
    }

    /// <summary>
    /// The tenant a call acts on. Another tenant's name is answered as NotFound, so a key
    /// cannot even learn which tenants exist.
    /// </summary>
    public string TenantFor(string requested)
    {
        if (string.IsNullOrEmpty(requested))
            return Tenant;
        if (IsClusterAdmin || requested == Tenant)
            return requested;
        throw NotFound("tenant", requested);
    }

    public bool CanSee(string tenant) => IsClusterAdmin || tenant == Tenant;

    public static RpcException NotFound(string what, string name) =>
        new(new Status(StatusCode.NotFound, $"{what} {name} not found"));
}
