#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The ceiling for the bench: Kestrel answering POST /api/messages with 200 and doing nothing else.
// A .NET 10 file-based app, so it needs no project file: dotnet run --file tests/bench/empty.cs -c Release
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var app = builder.Build();
app.MapPost("/api/messages", () => Results.Ok());
app.Run();
