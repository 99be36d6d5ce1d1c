import Kafka
print("avrogate-bench: librdkafka \(LibraryVersion.loadedString)")
