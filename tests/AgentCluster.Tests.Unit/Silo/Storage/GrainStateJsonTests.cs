using System.Collections;
using System.Reflection;
using AgentCluster.Grains.Tenants;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Orleans.Storage;
using I = global::AgentCluster.Grains;
using GrainStateJson = global::AgentCluster.Silo.Storage.GrainStateJson;

namespace AgentCluster.Tests.Unit.Silo.Storage;

/// <summary>
/// Grain state through the storage's own serializer, set up as the silo sets it up: what one grain
/// reads must never land in another's state, and every value must read back as written.
/// </summary>
public sealed class GrainStateJsonTests
{
    private static readonly Lazy<IGrainStorageSerializer> Fixed = new(() => Serializer(GrainStateJson.AddTo));

    [Theory]
    [MemberData(nameof(GrainStateSamples.All), MemberType = typeof(GrainStateSamples))]
    public void Every_state_reads_back_as_written_whatever_was_read_before_it(string name, object[] states)
    {
        var serializer = Fixed.Value;
        var type = states[0].GetType();
        var fresh = Text(Json(serializer, Activator.CreateInstance(type)!));
        var written = states.Select(s => Json(serializer, s)).ToList();
        var read = written.Select(json => Read(serializer, type, json)).ToList();

        // Read in turn in one process: once all are read, each is still exactly what was written
        // (the JSON names every field), and a new state is still a new state.
        for (var i = 0; i < states.Length; i++)
            Assert.True(Text(written[i]) == Text(Json(serializer, read[i])), $"{name} #{i} read back as\n{Text(Json(serializer, read[i]))}\nnot\n{Text(written[i])}");
        Assert.Equal(fresh, Text(Json(serializer, Activator.CreateInstance(type)!)));
    }

    [Fact]
    public void A_restarted_node_keeps_each_tenants_limits_and_the_shared_defaults_stay_default()
    {
        var (gamma, system) = ((TenantState)GrainStateSamples.Of("tenant")[0], SystemLike());
        var serializer = Fixed.Value;
        var (gammaJson, systemJson) = (Json(serializer, gamma), Json(serializer, system));

        var readSystem = (TenantState)Read(serializer, typeof(TenantState), systemJson);
        var readGamma = (TenantState)Read(serializer, typeof(TenantState), gammaJson);

        Assert.Equal((0, TimeSpan.FromHours(1)), (readSystem.Quotas.MaxSessions, readSystem.Quotas.MaxSessionTtl));
        Assert.Equal((3, TimeSpan.FromMinutes(7)), (readGamma.Quotas.MaxSessions, readGamma.Quotas.MaxSessionTtl));
        Assert.Equal(["myorg/agent:*"], readGamma.Quotas.AllowedImages.ToArray());
        Assert.Equal(I.Tenants.TenantQuotas.DefaultAllowedImages.ToArray(), readSystem.Quotas.AllowedImages.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(120), readGamma.Approvals.Timeout);
        Assert.Equal(I.Approvals.ApprovalPolicy.DefaultTimeout, readSystem.Approvals.Timeout);
        Assert.Equal(new TenantState().Quotas, I.Tenants.TenantQuotas.Default);
        Assert.Equal(I.Tenants.TenantQuotas.DefaultMaxSessions, I.Tenants.TenantQuotas.Default.MaxSessions);
        Assert.Empty(I.Approvals.ApprovalPolicy.Default.RiskOverrides);
    }

    [Fact]
    public void Orleans_default_settings_alone_mix_up_tenants_which_is_why_the_silo_changes_them()
    {
        var serializer = Serializer(_ => { });
        var gamma = (TenantState)GrainStateSamples.Of("tenant")[0];
        var system = SystemLike();
        var (gammaJson, systemJson) = (Json(serializer, gamma), Json(serializer, system));

        var readSystem = (TenantState)Read(serializer, typeof(TenantState), systemJson);
        _ = Read(serializer, typeof(TenantState), gammaJson);

        // Without GrainStateJson, the system tenant's 0 sessions are left out on writing, and it
        // either reads the initializer's 10 or, once gamma is read, whatever gamma filled in.
        Assert.NotEqual(0, readSystem.Quotas.MaxSessions);
    }

    [Fact]
    public void String_sets_and_maps_read_back_ordinal()
    {
        var serializer = Fixed.Value;
        var registry = new TenantRegistryState { Names = new(StringComparer.Ordinal) { "ab", "a-b", "Zeta", "zeta" } };
        var read = (TenantRegistryState)Read(serializer, typeof(TenantRegistryState), Json(serializer, registry));
        Assert.Same(StringComparer.Ordinal, read.Names.Comparer);
        Assert.Equal(["Zeta", "a-b", "ab", "zeta"], read.Names);
    }

    /// <summary>No persisted type may start from an instance that another state also starts from.</summary>
    [Fact]
    public void No_persisted_state_starts_from_a_shared_instance()
    {
        var types = PersistedStateTypes();
        Assert.Contains(typeof(TenantState), types);
        Assert.True(types.Count >= 9, string.Join(", ", types.Select(t => t.Name)));
        foreach (var type in types)
        {
            var shared = Shared(Activator.CreateInstance(type)!, Activator.CreateInstance(type)!, type.Name).ToList();
            Assert.True(shared.Count == 0, $"{type.Name}: a new state shares {string.Join(", ", shared)}");
        }
    }

    private static TenantState SystemLike() => new()
    {
        Exists = true,
        Quotas = I.Tenants.TenantQuotas.Default with { MaxSessions = 0 },
    };

    private static List<Type> PersistedStateTypes() =>
        [.. typeof(TenantState).Assembly.GetTypes()
            .SelectMany(t => t.GetConstructors())
            .SelectMany(c => c.GetParameters())
            .Where(p => p.GetCustomAttribute<PersistentStateAttribute>() is not null)
            .Select(p => p.ParameterType.GetGenericArguments()[0])
            .Distinct()];

    /// <summary>The paths under which two fresh states reach one and the same object.</summary>
    private static IEnumerable<string> Shared(object a, object b, string path)
    {
        if (a is string || a.GetType().IsValueType && a is not IEnumerable)
            yield break;
        if (!a.GetType().IsValueType && ReferenceEquals(a, b))
        {
            yield return path;
            yield break;
        }
        if (a is IEnumerable)
            yield break; // fresh and empty, or a value-type wrapper of one: nothing inside to share
        foreach (var p in a.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            if (p.GetValue(a) is { } va && p.GetValue(b) is { } vb)
            {
                foreach (var s in Shared(va, vb, $"{path}.{p.Name}"))
                    yield return s;
            }
        }
    }

    private static BinaryData Json(IGrainStorageSerializer serializer, object state) =>
        (BinaryData)typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Serialize))!
            .MakeGenericMethod(state.GetType()).Invoke(serializer, [state])!;

    private static object Read(IGrainStorageSerializer serializer, Type type, BinaryData json) =>
        typeof(IGrainStorageSerializer).GetMethod(nameof(IGrainStorageSerializer.Deserialize))!
            .MakeGenericMethod(type).Invoke(serializer, [json])!;

    private static string Text(BinaryData json) => json.ToString();

    /// <summary>Orleans' Newtonsoft storage serializer, from the same services a silo has.</summary>
    private static IGrainStorageSerializer Serializer(Action<IServiceCollection> configure)
    {
        var host = new HostBuilder().UseOrleansClient(c =>
        {
            c.UseLocalhostClustering();
            configure(c.Services);
        }).Build();
        return new JsonGrainStorageSerializer(host.Services.GetRequiredService<OrleansJsonSerializer>());
    }
}
