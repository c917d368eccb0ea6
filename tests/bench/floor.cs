#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// Diagnostic row for the bench: the least a .NET bot can do for one round trip. It parses the activity, posts a reply of
// the same size as Rollout.Bot's /help answer to the channel through HttpClient, and answers the POST once the channel
// has taken the reply. No auth, no de-dup, no storage, no routing: the floor under any real bot on this machine.
// A .NET 10 file-based app: dotnet build tests/bench/floor.cs -c Release
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();

var replyBytes = int.Parse(Environment.GetEnvironmentVariable("REPLY_BYTES") ?? "3000");
var line = "- `/command <argument> [option=value]` — what it does, in one short line\n";
var text = new StringBuilder();
while (text.Length < replyBytes) text.Append(line);
var replyText = text.ToString(0, replyBytes);
var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });

app.MapPost("/api/messages", async (HttpRequest request, CancellationToken ct) =>
{
    using var activity = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
    var root = activity.RootElement;
    var serviceUrl = root.GetProperty("serviceUrl").GetString()!;
    var conversation = root.GetProperty("conversation").GetProperty("id").GetString()!;
    var id = root.GetProperty("id").GetString()!;

    var body = new MemoryStream();
    using (var json = new Utf8JsonWriter(body))
    {
        json.WriteStartObject();
        json.WriteString("type", "message");
        json.WriteString("replyToId", id);
        json.WriteStartObject("conversation");
        json.WriteString("id", conversation);
        json.WriteEndObject();
        json.WritePropertyName("from");
        root.GetProperty("recipient").WriteTo(json);
        json.WritePropertyName("recipient");
        root.GetProperty("from").WriteTo(json);
        json.WriteString("text", replyText);
        json.WriteEndObject();
    }
    var uri = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversation)}/activities/{Uri.EscapeDataString(id)}";
    using var reply = new HttpRequestMessage(HttpMethod.Post, uri)
    {
        Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length)
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
        },
    };
    using var response = await http.SendAsync(reply, ct);
    return response.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(502);
});
app.Run();
