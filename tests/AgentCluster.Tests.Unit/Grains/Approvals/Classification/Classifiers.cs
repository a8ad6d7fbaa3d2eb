using System.Text.Json;
using AgentCluster.Grains.Approvals;
using AgentCluster.Grains.Approvals.Classification;
using AgentCluster.Grains.Approvals.Classification.Http;
using AgentCluster.Grains.Approvals.Classification.Shell;
using AgentCluster.Grains.Approvals.Classification.Sql;
using Microsoft.Extensions.Options;

namespace AgentCluster.Tests.Unit.Grains.Approvals.Classification;

/// <summary>Builds a classifier the way AddActionClassification does, minus the container.</summary>
internal static class Classifiers
{
    public static ActionClassifier Build(Action<ClassificationOptions>? configure = null)
    {
        var options = new ClassificationOptions();
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        return new ActionClassifier(wrapped,
            [new SqlPayloadClassifier(wrapped), new HttpPayloadClassifier(wrapped), new ShellPayloadClassifier(wrapped)]);
    }

    public static string Payload(string field, string value) => JsonSerializer.Serialize(new Dictionary<string, string> { [field] = value });

    public static ActionClassification Sql(this ActionClassifier classifier, string sql) =>
        classifier.Classify("db.execute", Payload("sql", sql));
}
