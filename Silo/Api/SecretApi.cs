using System.Text.RegularExpressions;
using AgentCluster.Api.V1;
using AgentCluster.Grains.Audit;
using AgentCluster.Grains.Credentials;
using AgentCluster.Grains.Tenants;
using AgentCluster.Silo.Authentication;
using AgentCluster.Silo.Storage.Secrets;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Proto = AgentCluster.Api.V1;

namespace AgentCluster.Silo.Api;

/// <summary>Write-only vault administration: values go in, and only metadata ever comes out.</summary>
internal sealed partial class SecretApi(IGrainFactory grains, ISecretVault vault, IAuditLog audit, PublicSuffixes suffixes)
    : SecretService.SecretServiceBase
{
    public override async Task<Proto.SecretMetadata> PutSecret(PutSecretRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin);
        var tenant = await Tenant(caller, request.Tenant);
        var metadata = Validate(request, tenant, suffixes);
        // A wildcard sends the secret to hosts nobody has named yet: the cluster admin's call, not a tenant's.
        if (!caller.IsClusterAdmin && metadata.Hosts.FirstOrDefault(h => h.StartsWith("*.", StringComparison.Ordinal)) is { } wildcard)
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"only a cluster admin may bind a secret to a wildcard host ({wildcard}); name each host instead"));
        var stored = await Vault(() => vault.PutAsync(metadata, request.Value, context.CancellationToken));
        await audit.AppendAsync(AuditedAdministration.Event(caller, tenant, AuditKinds.SecretPut, request.Resource,
            ("actions", string.Join(",", stored.Actions)), ("hosts", string.Join(",", stored.Hosts)), ("keyId", stored.KeyId),
            ("methods", stored.Methods.IsDefaultOrEmpty ? "by-action" : string.Join(",", stored.Methods)),
            ("plainHttp", stored.AllowPlainHttp ? "allowed" : "refused")));
        return ToProto(stored);
    }

    public override async Task<ListSecretsResponse> ListSecrets(ListSecretsRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin, Roles.Auditor);
        var tenant = await Tenant(caller, request.Tenant);
        var response = new ListSecretsResponse();
        response.Secrets.AddRange((await vault.ListAsync(tenant, context.CancellationToken)).Select(ToProto));
        return response;
    }

    public override async Task<RemoveSecretResponse> RemoveSecret(RemoveSecretRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).Require(Roles.Admin);
        var tenant = await Tenant(caller, request.Tenant);
        if (!await vault.RemoveAsync(tenant, request.Resource, context.CancellationToken))
            throw Caller.NotFound("secret", request.Resource);
        await audit.AppendAsync(AuditedAdministration.Event(caller, tenant, AuditKinds.SecretRemoved, request.Resource));
        return new RemoveSecretResponse();
    }

    public override async Task<RotateKeyResponse> RotateKey(RotateKeyRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context).RequireClusterAdmin();
        var count = await Vault(() => vault.RotateAsync(context.CancellationToken));
        await audit.AppendAsync(AuditedAdministration.Event(caller, SystemTenant.Name, AuditKinds.SecretPut, "vault",
            ("rotatedTo", vault.ActiveKeyId), ("reencrypted", count.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var advice = context.GetHttpContext().RequestServices.GetRequiredService<VaultKeyAdvice>();
        return new RotateKeyResponse { KeyId = vault.ActiveKeyId, Reencrypted = count, Note = advice.After(count, vault.ActiveKeyId) };
    }

    private async Task<string> Tenant(Caller caller, string requested)
    {
        var name = caller.TenantFor(requested);
        if (await grains.GetGrain<ITenantGrain>(name).Get() is null)
            throw Caller.NotFound("tenant", name);
        return name;
    }

    /// <summary>Vault failures name the key problem, never the value.</summary>
    private static async Task<T> Vault<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (VaultKeyException e)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, e.Message));
        }
    }

    private static Grains.Credentials.SecretMetadata Validate(PutSecretRequest r, string tenant, PublicSuffixes suffixes)
    {
        var errors = new List<string>();
        if (!ResourceName().IsMatch(r.Resource))
            errors.Add("resource must be 1-63 characters of a-z, 0-9, '-' and '_'");
        if (r.Value.Length == 0)
            errors.Add("the value must not be empty");
        if (r.Actions.Count == 0 || r.Actions.Any(a => !GrantActions.All.Contains(a)))
            errors.Add("actions must be one or more of read, write, delete");
        var hosts = r.Hosts.Select(h => h.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
        var covering = hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal))
            .Select(h => (Pattern: h, Suffix: suffixes.CoveredBy(h[2..]))).Where(p => p.Suffix is not null).ToList();
        errors.AddRange(covering.Select(p =>
            $"host pattern {Clip(p.Pattern)} covers the public suffix {p.Suffix}, under which anyone registers names: name the hosts instead"));
        if (hosts.Count == 0 || hosts.Except(covering.Select(p => p.Pattern)).Any(h => !HostPattern().IsMatch(h)))
            errors.Add("hosts must be one or more host names or *.suffix patterns");
        var header = r.Header.Length > 0;
        var basic = r.BasicUser.Length > 0;
        if (header == basic)
            errors.Add("give either --header with --format, or --basic-user");
        if (header && (!HeaderName().IsMatch(r.Header) || !r.Format.Contains("{secret}", StringComparison.Ordinal)))
            errors.Add("the header must be a header name and the format must contain {secret}");
        // --methods narrows what the actions allow; a method beyond them would widen a grant, so it is refused.
        var methods = r.Methods.Select(m => m.Trim().ToUpperInvariant()).Distinct().ToList();
        var allowed = GrantMethods.OfAny(r.Actions);
        if (methods.FirstOrDefault(m => !allowed.Contains(m)) is { } beyond)
            errors.Add($"methods can only narrow what the actions allow ({string.Join(", ", allowed)}): '{Clip(beyond)}' is not among them");
        if (errors.Count > 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, string.Join("; ", errors)));
        return new(tenant, r.Resource, [.. hosts], [.. r.Actions.Distinct()], header ? r.Header : null,
            header ? r.Format : null, basic ? r.BasicUser : null, "", default)
        {
            Methods = [.. methods],
            AllowPlainHttp = r.AllowPlainHttp,
        };
    }

    private static Proto.SecretMetadata ToProto(Grains.Credentials.SecretMetadata m) => new()
    {
        Tenant = m.Tenant, Resource = m.Resource, Hosts = { m.Hosts }, Actions = { m.Actions },
        Header = m.Header ?? "", Format = m.Format ?? "", BasicUser = m.BasicUser ?? "", KeyId = m.KeyId,
        UpdatedAt = Timestamp.FromDateTimeOffset(m.UpdatedAt), Methods = { m.Methods.IsDefault ? [] : m.Methods }, AllowPlainHttp = m.AllowPlainHttp,
    };

    /// <summary>What the caller sent, short and printable, for an error message.</summary>
    private static string Clip(string text) => new([.. text.Take(20).Where(c => !char.IsControl(c))]);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,62}$")]
    private static partial Regex ResourceName();

    [GeneratedRegex(@"^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderName();
}
