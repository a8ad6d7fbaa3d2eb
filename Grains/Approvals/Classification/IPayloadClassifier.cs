using System.Text.Json;

namespace AgentCluster.Grains.Approvals.Classification;

/// <summary>
/// Reads the payload of one generic tool, whose risk depends on what it is asked to do.
/// Adding one is this class plus <c>services.AddSingleton&lt;IPayloadClassifier, …&gt;()</c>.
/// </summary>
public interface IPayloadClassifier
{
    /// <summary>The action name this classifier owns, e.g. <c>db.execute</c>.</summary>
    string Action { get; }

    /// <summary>
    /// <paramref name="payload"/> is a JSON object whose field names are unique (ignoring case).
    /// Anything the classifier does not fully understand must come back Irreversible.
    /// </summary>
    ActionClassification Classify(JsonElement payload);
}
