using System.Text.Json;
using System.Text.Json.Serialization;

namespace Chatterfy.Postbacks.Reconciliation;

/// <summary>How stores keep layouts and reports: as JSON text in this one shape (<see cref="Storage.ReconciliationStore"/>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReconciliationLayout))]
[JsonSerializable(typeof(ReconciliationReport))]
[JsonSerializable(typeof(ReconciliationSummary))]
internal sealed partial class ReconciliationJson : JsonSerializerContext;
