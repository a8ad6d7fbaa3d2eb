using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;
using Orleans.Serialization;

namespace AgentCluster.Silo.Storage;

/// <summary>
/// How grain state is read back from the ADO.NET storage, whose serializer is Orleans' Newtonsoft
/// one. Its defaults lose state across a restart:
/// <list type="bullet">
/// <item>it fills the object a property already holds instead of making a new one, so a state
/// whose fresh value points at a shared instance writes one grain's values into every other grain
/// that points at it (one tenant's limits became another's);</item>
/// <item>it leaves out values equal to their type's default (0, false, null), so on reading, the
/// property's initializer wins over what was written (a tenant's 0 sessions read back as 10);</item>
/// <item>a collection it makes itself has the default comparer, not the ordinal one the state
/// was made with.</item>
/// </list>
/// Rows written before keep reading as they did, but every value now comes from what was written.
/// </summary>
public static class GrainStateJson
{
    /// <summary>Makes the storage serializer's settings those of <see cref="Apply"/>.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.Configure<OrleansJsonSerializerOptions>(o => Apply(o.JsonSerializerSettings));

    public static void Apply(JsonSerializerSettings settings)
    {
        settings.ObjectCreationHandling = ObjectCreationHandling.Replace;
        settings.DefaultValueHandling = DefaultValueHandling.Include;
        settings.NullValueHandling = NullValueHandling.Include;
        settings.ContractResolver = OrdinalStringCollections.Instance;
    }

    /// <summary>String sets and maps are made ordinal, as every state type declares them.</summary>
    private sealed class OrdinalStringCollections : DefaultContractResolver
    {
        public static readonly OrdinalStringCollections Instance = new();

        private static readonly Type[] Keyed = [typeof(SortedSet<>), typeof(SortedDictionary<,>), typeof(HashSet<>), typeof(Dictionary<,>)];

        protected override JsonContract CreateContract(Type objectType)
        {
            var contract = base.CreateContract(objectType);
            // StringComparer.Ordinal is each of these types' one comparer parameter.
            if (objectType.IsGenericType && objectType.GetGenericArguments()[0] == typeof(string)
                && Keyed.Contains(objectType.GetGenericTypeDefinition()))
                contract.DefaultCreator = () => Activator.CreateInstance(objectType, StringComparer.Ordinal)!;
            return contract;
        }
    }
}
