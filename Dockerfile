FROM python:3.11-slim
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
COPY pyproject.toml constraints.txt README.md ./
COPY custgraph ./custgraph
RUN pip install --no-cache-dir -c constraints.txt . && useradd --create-home custgraph \
    && mkdir -p /var/lib/custgraph && chown custgraph /var/lib/custgraph
USER custgraph
EXPOSE 8000
CMD ["custgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
